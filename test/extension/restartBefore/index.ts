import { runPhase } from '../runPhase';

export const run = () => runPhase(__dirname, 'restartBefore');
