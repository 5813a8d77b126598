import { Injectable, NotFoundException } from '@nestjs/common';
import { StatsdService } from '../../lib';
import type { CreateUserInput, User } from './user.model';

/** An in-memory user store; keeps a `users.total` gauge up to date. */
@Injectable()
export class UsersService {
  private readonly users = new Map<number, User>();
  private nextId = 1;

  constructor(private readonly statsd: StatsdService) {
    for (const name of ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken']) {
      this.add({ name, email: `${name.toLowerCase()}@example.com` });
    }
  }

  findAll(): User[] {
    return [...this.users.values()];
  }

  findOne(id: number): User {
    const user = this.users.get(id);
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  create(input: CreateUserInput): User {
    const user = this.add(input);
    this.statsd.increment('users.created');
    return user;
  }

  private add(input: CreateUserInput): User {
    const user: User = { id: this.nextId++, ...input };
    this.users.set(user.id, user);
    this.statsd.gauge('users.total', this.users.size);
    return user;
  }
}
