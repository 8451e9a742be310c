import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Toolbar, type ToolbarProps } from './Toolbar';

function Harness(props: Partial<ToolbarProps>) {
  const [search, setSearch] = useState('');
  return (
    <>
      <button type="button">elsewhere</button>
      <Toolbar
        view="graph"
        onView={vi.fn()}
        search={search}
        onSearch={setSearch}
        onSearchNext={vi.fn()}
        matchCount={search ? 3 : null}
        matchPosition={null}
        onlyFree={false}
        onOnlyFree={vi.fn()}
        onExpandAll={vi.fn()}
        onCollapseAll={vi.fn()}
        {...props}
      />
    </>
  );
}

describe('Toolbar', () => {
  it('focuses the search on / from anywhere but a text field', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'elsewhere' }));
    await user.keyboard('/');
    expect(screen.getByRole('combobox', { name: /^Find VFs/ })).toHaveFocus();
    expect(screen.getByRole('combobox', { name: /^Find VFs/ })).toHaveValue('');
    await user.keyboard('ab/c');
    expect(screen.getByRole('combobox', { name: /^Find VFs/ })).toHaveValue('ab/c');
  });

  it('counts matches, walks them with Enter and clears with Escape', async () => {
    const user = userEvent.setup();
    const onSearchNext = vi.fn();
    render(<Harness onSearchNext={onSearchNext} />);
    await user.type(screen.getByRole('combobox', { name: /^Find VFs/ }), 'nfv');
    expect(screen.getByRole('status')).toHaveTextContent('3 matches');
    await user.keyboard('{Enter}');
    expect(onSearchNext).toHaveBeenCalledTimes(1);
    await user.keyboard('{Escape}');
    expect(screen.getByRole('combobox', { name: /^Find VFs/ })).toHaveValue('');
  });

  it('shows the legend with a word for each state', () => {
    render(<Harness />);
    const legend = screen.getByRole('list', { name: 'legend' });
    for (const word of ['free', 'held', 'shared IOMMU group', 'pending']) expect(legend).toHaveTextContent(word);
  });
});
