import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';
import { preloadParts } from './lazy/lazyPart';

// Testing Library unmounts after each test by itself only with vitest globals on; they are off.
afterEach(() => cleanup());

// The page's lazy parts (details, dialogs, other tabs) are in before a test renders, as they are
// in the browser once it has been idle after the first drawing: a test sees them at once.
// lazyPart.test.tsx checks the other case, a part still on its way.
beforeAll(() => preloadParts());
