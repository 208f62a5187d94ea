import { loadConfig } from '../../../shared/src/config';
import { runUntilSignalled } from '../../../shared/src/process';
import { startActivitiesSubgraph } from './server';

runUntilSignalled('activities', () => startActivitiesSubgraph(loadConfig()));
