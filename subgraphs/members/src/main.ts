import { loadConfig } from '../../../shared/src/config';
import { runUntilSignalled } from '../../../shared/src/process';
import { startMembersSubgraph } from './server';

runUntilSignalled('members', () => startMembersSubgraph(loadConfig()));
