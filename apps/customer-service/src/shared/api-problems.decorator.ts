import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'filter.aum.max' }) field!: string;
  @ApiProperty({ example: 'max must not be less than min' }) message!: string;
}

/** RFC 9457 problem details, as every error of this API is returned. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:problem-type:crm:validation-failed' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty() detail!: string;
  @ApiProperty({ example: '/api/v1/customers/search' }) instance!: string;
  @ApiPropertyOptional({ example: 'VALIDATION_FAILED' }) code?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional() correlationId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field at fault',
  401: 'No valid access token',
  403: 'The caller’s role may not do this',
  404: 'No such resource in the caller’s data scope',
  409: 'Conflicts with the current state',
};

/** Documents the problem responses an endpoint can give (401 and 403 always). */
export const ApiProblems = (...statuses: (400 | 404 | 409)[]) =>
  applyDecorators(
    ApiBearerAuth(),
    ...[401, 403, ...statuses].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ProblemDetailsDto }),
    ),
  );
