import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import type { User } from './user.model';
import { parseCreateUser } from './user.model';
import { UsersService } from './users.service';

/** Plain CRUD: fast routes, a 404 for unknown ids and a 400 for ids that are not numbers. */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  findAll(): User[] {
    return this.users.findAll();
  }

  @Get(':id')
  findOne(@Param('id', ParseIntPipe) id: number): User {
    return this.users.findOne(id);
  }

  @Post()
  create(@Body() body: unknown): User {
    return this.users.create(parseCreateUser(body));
  }
}
