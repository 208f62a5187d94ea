import { loadConfig } from '../../../shared/src/config';
import { configurePgTypes } from '../../../shared/src/pg-types';
import { runUntilSignalled } from '../../../shared/src/process';
import { startOrganizationSubgraph } from './server';

configurePgTypes();
runUntilSignalled('organization', () => startOrganizationSubgraph(loadConfig()));
