// The "Learn" view lives in ./learn/ (scenarios, the live queue, the glossary, presenter mode).
export { learnView } from './learn/learnView.ts';
