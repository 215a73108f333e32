import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';

import { type ConfigDto, type ConfigReplacedDto, EmptyRequest, ReplaceConfigRequest } from '@mpqcht/protocol';

import { RequirePermission } from '../gateway/access.decorators';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { actorOf, type MpqchtSocket } from '../realtime/socket-session';
import { ConfigEditorService } from './config-editor.service';

@RealtimeGateway()
export class ConfigGateway {
  constructor(private readonly editor: ConfigEditorService) {}

  @RequirePermission('manage_config')
  @SubscribeMessage('config.get')
  get(@Payload() _request: EmptyRequest): ConfigDto {
    return this.editor.get();
  }

  @RequirePermission('manage_config')
  @SubscribeMessage('config.replace')
  replace(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: ReplaceConfigRequest,
  ): Promise<ConfigReplacedDto> {
    return this.editor.replace(actorOf(socket).publicKey, request.text, request.expectedHash);
  }
}
