import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';

/** Where the web page is served. */
export const WEB_PAGE_PATH = '/ui';

/**
 * The built web page's files, or undefined when it was not built (`npm run build` builds it). The files
 * are public: they hold no data, and the page reads the API with the token its user enters. `/ui` is
 * sent to `/ui/`, so that the page's relative links resolve under it.
 */
export function webPage(dir: string): RequestHandler | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = express.static(dir, { index: 'index.html', redirect: false, fallthrough: true, maxAge: 0 });
  return (request, response, next) => {
    if (request.originalUrl === WEB_PAGE_PATH || request.originalUrl.startsWith(`${WEB_PAGE_PATH}?`)) {
      response.redirect(301, `${WEB_PAGE_PATH}/`);
      return;
    }
    files(request, response, next);
  };
}
