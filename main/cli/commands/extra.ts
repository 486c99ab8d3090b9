// Commands built on the planner, open-loop load, reports and demos (registered as they land).
import type { Command } from 'commander';

export function registerExtraCommands(_program: Command): void {
}
