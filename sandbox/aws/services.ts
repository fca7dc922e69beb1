// The services the sandbox AWS endpoint speaks. To add one, write a module returning a ServiceDefinition
// (see protocol.ts and sandbox/README.md "Adding a service") and list it here.
import type { ServiceDefinition } from './protocol.ts';
import type { World } from '../world.ts';
import { createEcrService } from './ecr.ts';
import { createStsService } from './sts.ts';
import { createEcsServices } from './ecs/api.ts';
import { createEksService } from '../eks/service.ts';
import { createAutoScalingService } from './autoscaling.ts';
import { createElbv2Service } from './elbv2.ts';
import { createLogsService } from './logs.ts';
import { createCloudTrailService } from './cloudtrail.ts';
import { createCloudWatchService } from './cloudwatch.ts';

export function createServices(world: World): ServiceDefinition[] {
  return [
    createEcrService(world),
    createStsService(world),
    ...createEcsServices(world),
    createEksService(world),
    createAutoScalingService(world),
    createElbv2Service(),
    createLogsService(world),
    createCloudTrailService(world),
    createCloudWatchService(world),
  ];
}
