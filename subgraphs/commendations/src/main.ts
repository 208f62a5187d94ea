import { loadConfig } from '../../../shared/src/config';
import { configurePgTypes } from '../../../shared/src/pg-types';
import { runUntilSignalled } from '../../../shared/src/process';
import { startCommendationsSubgraph } from './server';

configurePgTypes();
runUntilSignalled('commendations', () => startCommendationsSubgraph(loadConfig()));
