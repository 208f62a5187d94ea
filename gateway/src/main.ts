import { loadConfig } from '../../shared/src/config';
import { runUntilSignalled } from '../../shared/src/process';
import { startGateway } from './server';

runUntilSignalled('gateway', () => startGateway(loadConfig()));
