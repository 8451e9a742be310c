import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/apiError';
import { ErrorState, StaleBanner } from './StatusViews';

describe('ErrorState', () => {
  it('names the address nobody answered on', () => {
    render(<ErrorState context="Host list" error={new ApiError({ kind: 'unreachable', url: 'http://127.0.0.1:7300/api/v1/hosts', message: 'fetch failed' })} />);
    const alert = screen.getByRole('alert');
    expect(within(alert).getByRole('heading')).toHaveTextContent('The vfmap agent does not answer');
    expect(alert).toHaveTextContent('http://127.0.0.1:7300/api/v1/hosts');
    expect(alert).toHaveTextContent('fetch failed');
  });

  it('shows a problem\'s title, detail and every extra field', () => {
    render(
      <ErrorState
        context="Topology of h"
        error={
          new ApiError({
            kind: 'problem',
            url: 'u',
            problem: { type: 'urn:vfmap:problem:hypervisor', title: 'The hypervisor failed', status: 502, detail: 'virsh timed out', command: 'virsh list', exitStatus: 1, issues: [{ path: 'x' }] },
          })
        }
      />,
    );
    const alert = screen.getByRole('alert');
    expect(within(alert).getByRole('heading')).toHaveTextContent('The hypervisor failed');
    expect(alert).toHaveTextContent('virsh timed out');
    expect(alert).toHaveTextContent('502');
    expect(alert).toHaveTextContent('virsh list');
    expect(alert).toHaveTextContent('exitStatus');
    expect(alert).toHaveTextContent('"path": "x"');
  });

  it('shows a plain HTTP error with its body', () => {
    render(<ErrorState context="c" error={new ApiError({ kind: 'http', url: 'u', status: 418, statusText: "I'm a teapot", body: 'short and stout' })} />);
    expect(screen.getByRole('heading')).toHaveTextContent("The server answered 418 I'm a teapot");
    expect(screen.getByText('short and stout')).toBeInTheDocument();
  });

  it('lists the fields of an answer that broke the contract', () => {
    render(<ErrorState context="c" error={new ApiError({ kind: 'invalid', url: 'u', message: '1 field does not match', issues: ['pfs.0.address: bad'] })} />);
    expect(screen.getByRole('heading')).toHaveTextContent('does not understand');
    expect(screen.getByText('pfs.0.address: bad')).toBeInTheDocument();
  });
});

describe('StaleBanner', () => {
  it('says the drawing is from the last good answer', () => {
    render(<StaleBanner error={new ApiError({ kind: 'unreachable', url: 'u', message: 'fetch failed' })} since={Date.UTC(2025, 2, 14, 9, 0, 0)} />);
    expect(screen.getByRole('alert')).toHaveTextContent(/Agent unreachable:.*Showing the topology as read at/);
  });
});
