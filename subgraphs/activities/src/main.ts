import { loadConfig } from '../../../shared/src/config';
import { configurePgTypes } from '../../../shared/src/pg-types';
import { runUntilSignalled } from '../../../shared/src/process';
import { startActivitiesSubgraph } from './server';

configurePgTypes();
runUntilSignalled('activities', () => startActivitiesSubgraph(loadConfig()));
