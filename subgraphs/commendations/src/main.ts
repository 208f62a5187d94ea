import { loadConfig } from '../../../shared/src/config';
import { runUntilSignalled } from '../../../shared/src/process';
import { startCommendationsSubgraph } from './server';

runUntilSignalled('commendations', () => startCommendationsSubgraph(loadConfig()));
