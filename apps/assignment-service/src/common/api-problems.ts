import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'latitude' })
  field!: string;

  @ApiProperty({ example: 'latitude must be a decimal between -90 and 90' })
  message!: string;
}

/** RFC 9457 problem details, as every error of this API is returned (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:problem-type:crm:validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request has 1 invalid field' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/visits' })
  instance!: string;

  @ApiPropertyOptional({ example: 'VALIDATION_FAILED' })
  code?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'The fields at fault' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional()
  correlationId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: `errors` names each field at fault',
  401: 'No valid access token',
  403: 'The caller’s role or data scope does not allow this',
  404: 'Unknown id, or a customer outside the caller’s data scope',
  409: 'Conflicts with the current state',
  422: 'Well-formed, but a coverage rule forbids it',
};

/** Documents the problem-details responses of an operation; 400, 401 and 403 apply to every one. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ...[...new Set([400, 401, 403, ...statuses])].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ProblemDetailsDto }),
    ),
  );
