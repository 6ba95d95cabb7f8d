import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** Tag names: lower-case words joined by hyphens, or Chinese characters, up to 64 characters. */
export const TAG_NAME = /^[\p{Script=Han}a-z0-9][\p{Script=Han}a-z0-9-]{0,63}$/u;

export class AddTagDto {
  @ApiProperty({ example: 'prefers-branch-visits', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @Matches(TAG_NAME, {
    message: '$property must be lower-case letters, digits, hyphens or Chinese characters',
  })
  tag!: string;
}
