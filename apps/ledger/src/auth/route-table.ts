import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { type RouteAccess, routeAccess } from './auth.guard';

export interface Route {
  readonly method: string;
  /** The path with Nest's parameters, e.g. `/customers/:customerId/ownership`. */
  readonly path: string;
  /** undefined: the route declares no access, and the guard keeps it closed. */
  readonly access: RouteAccess | undefined;
}

function joinPath(...parts: string[]): string {
  return `/${parts.flatMap((part) => part.split('/')).filter(Boolean).join('/')}`;
}

/** Every route the application's controllers declare, with the access each requires. */
export function routeTable(app: INestApplication): Route[] {
  return routesOf(app.get(ModulesContainer), app.get(Reflector));
}

/** The routes of these modules' controllers (what {@link routeTable} reads from an application). */
export function routesOf(modules: ModulesContainer, reflector: Reflector): Route[] {
  const routes: Route[] = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base: string = Reflect.getMetadata(PATH_METADATA, controller) ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const path: string | undefined = Reflect.getMetadata(PATH_METADATA, handler);
        const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
        if (path === undefined || method === undefined) continue;
        routes.push({ method: RequestMethod[method], path: joinPath(base, path), access: routeAccess(reflector, handler, controller) });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** Refuses to start an application with a route that is neither public nor guarded by a scope. */
export function assertEveryRouteDeclaresAccess(app: INestApplication): void {
  const open = routeTable(app).filter((route) => route.access === undefined);
  if (open.length > 0) {
    throw new Error(`Routes must declare RequireScope or Public: ${open.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  }
}
