import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KeysetCursor, toPage } from '@crm/http';
import { AuditLogWriter, AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { CampaignException, CampaignExceptionCode } from '../common/campaign.exception';
import { CustomerFactsRepository } from '../customers/customer-facts.repository';
import { TaskDto, TaskOutcomeDto, TaskPageDto, TaskQueryDto } from './task.dto';
import { TaskRepository, TaskRow } from './task.repository';

const TASK_CURSOR = new KeysetCursor('campaign-tasks', ['timestamp', 'uuid'] as const);

/** The task inbox of each manager: calls and visits campaigns ask for, and what came of them. */
@Injectable()
export class TasksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TaskRepository,
    private readonly facts: CustomerFactsRepository,
    private readonly scopes: DataScopeResolver,
    private readonly audit: AuditLogWriter,
  ) {}

  /** A manager's own tasks; a head's, those of their subtree's managers; soonest due first. */
  async list(user: AuthenticatedUser, query: TaskQueryDto): Promise<TaskPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.tasks.list(await this.scopes.resolve(user), {
      status: query.status,
      after: query.cursor ? TASK_CURSOR.decode(query.cursor) : undefined,
      limit,
    });
    const page = toPage(rows, limit, TASK_CURSOR, (r) => [r.due_at.toISOString(), r.task_id]);
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  }

  /**
   * Records what came of the task, once; the customer's response to the offer is kept, so a decline
   * holds every campaign off those products for the policy's cooling period.
   */
  async complete(user: AuthenticatedUser, taskId: string, dto: TaskOutcomeDto): Promise<TaskDto> {
    return this.dataSource.transaction(async (tx) => {
      const task = await this.tasks.findOne(tx, await this.scopes.resolve(user), taskId);
      if (!task)
        throw new CampaignException(
          CampaignExceptionCode.TaskNotFound,
          `No task ${taskId} in your data scope`,
        );
      if (task.status === 'done')
        throw new CampaignException(
          CampaignExceptionCode.TaskAlreadyDone,
          `Task ${taskId} was done already (${task.outcome})`,
        );
      await this.tasks.complete(tx, taskId, {
        outcome: dto.outcome,
        note: dto.note ?? null,
        by: user.userId,
      });
      await this.facts.recordResponse(tx, {
        customerId: task.customer_id,
        productCodes: task.product_codes,
        campaignId: task.campaign_id,
        channel: task.channel,
        outcome: dto.outcome,
        at: new Date(),
        by: user.userId,
      });
      await this.audit.record(
        {
          actor: user,
          action: 'campaign.task.complete',
          resourceType: 'campaign-task',
          resourceId: taskId,
          customerId: task.customer_id,
          outcome: 'allowed',
          details: { outcome: dto.outcome },
        },
        tx,
      );
      return present((await this.tasks.findOne(tx, await this.scopes.resolve(user), taskId))!);
    });
  }
}

const present = (t: TaskRow): TaskDto => ({
  taskId: t.task_id,
  campaignId: t.campaign_id,
  customerId: t.customer_id,
  managerId: t.manager_id,
  institutionId: t.institution_id,
  channel: t.channel,
  productCodes: t.product_codes,
  message: t.message,
  dueAt: t.due_at.toISOString(),
  status: t.status,
  outcome: t.outcome,
  note: t.note,
  doneBy: t.done_by,
  doneAt: t.done_at?.toISOString() ?? null,
});
