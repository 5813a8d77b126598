import { BadRequestException } from '@nestjs/common';

export interface User {
  readonly id: number;
  readonly name: string;
  readonly email: string;
}

export type CreateUserInput = Omit<User, 'id'>;

/** Checks a POST /users body by hand (the sample keeps its dependencies to Nest itself). */
export function parseCreateUser(body: unknown): CreateUserInput {
  const { name, email } = (body ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new BadRequestException('"name" must be a non-empty string');
  }
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    throw new BadRequestException('"email" must be an e-mail address');
  }
  return { name: name.trim(), email };
}
