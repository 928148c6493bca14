// What @kubernetes/client-node's config module imports from its generated clients, for
// makeApiClient only, which kfleet never calls (slimClientNode.ts says why this stands in).
const NOT_LOADED = "kfleet does not load @kubernetes/client-node's generated API clients (src/app/slimClientNode.ts)";

export function createConfiguration(): never {
  throw new Error(NOT_LOADED);
}

export class ServerConfiguration {
  constructor() {
    throw new Error(NOT_LOADED);
  }
}
