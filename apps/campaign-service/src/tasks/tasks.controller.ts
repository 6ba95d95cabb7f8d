import { Body, Controller, HttpCode, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { TaskIdParam } from '../common/route-params.dto';
import { TaskDto, TaskOutcomeDto, TaskPageDto, TaskQueryDto } from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('campaign tasks (营销任务)')
@Controller('tasks')
@Roles(Role.RelationshipManager, Role.InstitutionHead, Role.HeadOfficeAdmin)
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({
    summary: 'The caller’s campaign tasks (a manager’s own, a head’s subtree), soonest due first',
  })
  @ApiOkResponse({ type: TaskPageDto })
  @ApiProblems()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: TaskQueryDto): Promise<TaskPageDto> {
    return this.tasks.list(user, query);
  }

  @Post(':taskId/outcome')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record what came of a call or visit (a decline cools the offer off; audited)' })
  @ApiOkResponse({ type: TaskDto })
  @ApiProblems(404, 409)
  complete(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: TaskIdParam,
    @Body() body: TaskOutcomeDto,
  ): Promise<TaskDto> {
    return this.tasks.complete(user, params.taskId, body);
  }
}
