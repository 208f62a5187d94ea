import { loadConfig } from '../../../shared/src/config';
import { configurePgTypes } from '../../../shared/src/pg-types';
import { runUntilSignalled } from '../../../shared/src/process';
import { startMembersSubgraph } from './server';

configurePgTypes();
runUntilSignalled('members', () => startMembersSubgraph(loadConfig()));
