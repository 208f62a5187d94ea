import type { IncomingMessage } from 'node:http';
import { errors as joseErrors } from 'jose';
import { createTokenRecords, createTokenVerifier, InvalidTokenError } from './auth';
import type { Config, SubgraphName } from './config';
import { createProofVerifier, InvalidProofError, PROOF_HEADER, systemViewer } from './internal';
import type { Logger } from './logger';
import { scopeOf, type Caller } from './viewer';

/** Who a request to a subgraph comes from, or null when it must be answered 401. */
export type SubgraphAuthenticator = (req: IncomingMessage, body: unknown, requestId: string) => Promise<Caller | null>;

/** Whether a request even claims to come from Sanji: nothing else of it is read when it does not. */
export function carriesProof(req: IncomingMessage): boolean {
  return typeof req.headers[PROOF_HEADER] === 'string';
}

/**
 * Only Sanji talks to a subgraph: the request must carry a proof made for it. A proof made for a
 * caller is bound to the token that came with it, which is verified again and sets the tier; only
 * a proof made as the service, with no token beside it, is the proving service's own request (a
 * lookup that does not depend on any caller's tier).
 */
export function createSubgraphAuthenticator(config: Config, name: SubgraphName, log: Logger): SubgraphAuthenticator {
  // A subgraph checks a BRANCH token's organization again (it cannot tell that the gateway did), in the organization subgraph as the service.
  const verifyToken = createTokenVerifier(config, createTokenRecords(config, name, { regions: false }));
  const verifyProof = createProofVerifier(config);
  return async (req, body, requestId) => {
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
    try {
      const proof = await verifyProof(req.headers[PROOF_HEADER] as string, typeof query === 'string' ? query : '', variables, req.headers.authorization);
      const viewer = proof.onBehalfOf === 'caller' ? await verifyToken(req.headers.authorization) : systemViewer(proof.service);
      return { viewer, scope: scopeOf(viewer), authorization: req.headers.authorization ?? '', requestId };
    } catch (err) {
      if (!(err instanceof InvalidTokenError) && !(err instanceof InvalidProofError) && !(err instanceof joseErrors.JOSEError)) {
        log.error({ err }, 'request verification failed');
      }
      return null;
    }
  };
}
