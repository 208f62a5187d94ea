import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import type { ValidationRule } from 'graphql';
import type { Config } from '../../shared/src/config';

export interface RequestLimitOptions {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: ApolloServerOptions<BaseContext>['parseOptions'];
}

/**
 * What one request may ask: depth, cost, aliases and directives, checked by GraphQL Armor while
 * the query is validated, and tokens, checked by the parser itself; all before any subgraph is
 * called, and all answered 400. A limit set to 0 is off. Field suggestions ("Did you mean …?")
 * are withheld in production, where they would map the schema for strangers.
 */
export function requestLimits(config: Config): RequestLimitOptions {
  const { limits } = config;
  const armor = new ApolloArmor({
    maxDepth: { enabled: limits.maxDepth > 0, n: limits.maxDepth, flattenFragments: true, exposeLimits: true },
    costLimit: { enabled: limits.maxCost > 0, maxCost: limits.maxCost, exposeLimits: true },
    maxAliases: { enabled: limits.maxAliases > 0, n: limits.maxAliases, exposeLimits: true },
    maxDirectives: { enabled: limits.maxDirectives > 0, n: limits.maxDirectives, exposeLimits: true },
    // The parser counts tokens (below): a limit hit while parsing is a plain syntax error.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: config.env === 'production' },
  });
  const protection = armor.protect();
  return {
    plugins: protection.plugins as ApolloServerPlugin[],
    validationRules: protection.validationRules as ValidationRule[],
    parseOptions: limits.maxTokens > 0 ? { maxTokens: limits.maxTokens } : {},
  };
}

/** Refuses a query document longer than the limit before it is even parsed. */
export function documentLengthLimit(config: Config) {
  const max = config.limits.maxDocumentLength;
  return (req: Request, res: Response, next: NextFunction) => {
    const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query.query;
    if (max > 0 && typeof query === 'string' && query.length > max) {
      res.status(400).json({
        errors: [{ message: `The query document is ${query.length} characters long; at most ${max} are accepted.`, extensions: { code: 'BAD_REQUEST' } }],
      });
      return;
    }
    next();
  };
}
