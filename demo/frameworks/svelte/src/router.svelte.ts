// The smallest client-side router the two pages need: the path as state, links that push it.
export const route = $state({ path: location.pathname });

addEventListener('popstate', () => (route.path = location.pathname));

export function go(event: MouseEvent) {
  event.preventDefault();
  const path = new URL((event.currentTarget as HTMLAnchorElement).href).pathname;
  history.pushState(null, '', path);
  route.path = path;
}
