import { loadConfig } from '../../../shared/src/config';
import { runUntilSignalled } from '../../../shared/src/process';
import { startOrganizationSubgraph } from './server';

runUntilSignalled('organization', () => startOrganizationSubgraph(loadConfig()));
