import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

export class FieldErrorDto {
  @ApiProperty({ example: 'filter.aum.max' })
  field!: string;

  @ApiProperty({ example: 'max must not be less than min' })
  message!: string;
}

/** RFC 9457 problem details, as every error of every service is returned (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:problem-type:crm:validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request has 1 invalid field' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/customers/search', description: 'The request path, never its query' })
  instance!: string;

  @ApiPropertyOptional({ example: 'VALIDATION_FAILED' })
  code?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'The fields at fault' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'Quote it to operators: every log line of the request carries it' })
  correlationId?: string;
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503;

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'Bad input: `errors` names each field at fault',
  401: 'No valid access token',
  403: 'The caller’s role or data scope does not allow this',
  404: 'Unknown id, or outside the caller’s data scope',
  409: 'Conflicts with the current state',
  422: 'Well-formed, but a business rule forbids it',
  429: 'Over the caller’s rate limit: retry after the Retry-After header’s seconds',
  503: 'Temporarily unable, e.g. a query ran past its time limit: retry later',
};

/**
 * Documents the problem-details responses of an authenticated operation: 400, 401 and 403 apply to
 * every one, `statuses` adds the others it can give.
 */
export const ApiProblems = (...statuses: ProblemStatus[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...[...new Set<ProblemStatus>([400, 401, 403, ...statuses])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
