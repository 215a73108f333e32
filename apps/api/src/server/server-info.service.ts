import { Injectable } from '@nestjs/common';

import { type PermissionSubject, resolveServerPermissions, type ServerPermission } from '@mpqcht/permissions';
import type { ServerInfoDto } from '@mpqcht/protocol';

import { AppConfig } from '../config/app-config';

@Injectable()
export class ServerInfoService {
  constructor(private readonly config: AppConfig) {}

  info(): ServerInfoDto {
    const community = this.config.current;
    return {
      name: community.serverName,
      description: community.description,
      origin: this.config.env.publicOrigin,
      protocolVersion: 1,
      maxMessageLength: community.maxMessageLength,
      theme: community.theme,
      roles: [...community.roles]
        .sort((a, b) => b.position - a.position)
        .map((r) => ({ id: r.id, name: r.name, color: r.color ?? null, position: r.position })),
    };
  }

  /** The subject's server permissions under the running config (what `session.get` reports). */
  permissionsOf(subject: PermissionSubject): ServerPermission[] {
    return [...resolveServerPermissions(this.config.current.permissions, subject)];
  }
}
