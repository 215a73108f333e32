import { Injectable } from '@nestjs/common';
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
    };
  }
}
