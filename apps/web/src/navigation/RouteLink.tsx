import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { routeSearch, type Route } from './route';

export type RouteLinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: Route;
  onNavigate: (route: Route) => void;
};

/**
 * A real link to a view of the page: Enter and a click go there in this tab through the history
 * (no reload); a middle or modified click opens it in a new tab, as any link does.
 */
export function RouteLink({ to, onNavigate, onClick, children, ...rest }: RouteLinkProps) {
  const search = routeSearch(to);
  return (
    <a
      {...rest}
      href={search === '' ? window.location.pathname : search}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        onNavigate(to);
      }}
    >
      {children}
    </a>
  );
}
