// Kubernetes Status objects for errors, as the real API server returns them.

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

export class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusBody['details']) {
    super(message);
  }
  body(): StatusBody {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

const gr = (resource: string, group: string) => (group ? `${resource}.${group}` : resource);

export const notFound = (resource: string, group: string, name: string) =>
  new ApiError(404, 'NotFound', `${gr(resource, group)} "${name}" not found`, { name, group, kind: resource });
export const alreadyExists = (resource: string, group: string, name: string) =>
  new ApiError(409, 'AlreadyExists', `${gr(resource, group)} "${name}" already exists`, { name, group, kind: resource });
export const conflict = (resource: string, group: string, name: string) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${gr(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group, kind: resource });
export const forbidden = (user: string, verb: string, resource: string, group: string, namespace?: string) =>
  new ApiError(403, 'Forbidden', `${gr(resource, group)} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'}`, { group, kind: resource });
export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');
export const expired = (message: string) => new ApiError(410, 'Expired', message);
export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);
export const internal = (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
export const invalid = (message: string) => new ApiError(422, 'Invalid', message);
