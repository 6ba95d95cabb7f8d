import { SetMetadata } from '@nestjs/common';

/**
 * Marks a route (or controller) as open to unauthenticated callers: probes, scrapers, docs.
 *
 * Why here and not in @crm/security: the libs depend one way, http → security → observability
 * (security needs the request context for the audit log and to record the caller). The health and
 * metrics controllers live in observability and must carry the marker, so the marker lives at the
 * bottom of that chain; @crm/security re-exports it and its JwtAuthGuard is what honours it.
 */
export const IS_PUBLIC_KEY = 'crm:is-public-route';

export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
