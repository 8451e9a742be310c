import { describe, expect, it } from 'vitest';
import { waitingWords } from './PfWriteControls';

describe('waitingWords', () => {
  it('says what the agent does while the page waits, and that removing VFs is the slow part', () => {
    expect(waitingWords(4, 0)).toBe('Enabling 4 VFs…');
    expect(waitingWords(0, 1)).toBe('Removing the 1 VF: the kernel takes a second or more…');
    expect(waitingWords(2, 16)).toBe('Writing 0, then 2: removing the 16 VFs takes the kernel a second or more…');
  });
});
