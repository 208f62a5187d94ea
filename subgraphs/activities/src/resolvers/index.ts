import type { Resolvers } from '../generated/graphql';
import { Region } from './Region';

export const resolvers: Resolvers = {
  Region,
};
