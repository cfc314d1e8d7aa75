// Compiled (not run) by `npm run typecheck` against wirehub.d.ts: the documented usage must type-check.
import Wirehub, { Channel, ChannelMessage, StateChange, WirehubError, WirehubTimeoutError, type PresenceMember, type StreamPosition } from '../wirehub.js';

async function usage(): Promise<void> {
  const hub = new Wirehub('/connection', {
    token: async () => 'eyJ...',
    transports: ['websocket', 'longpolling'],
    reconnectInitialDelay: 250,
    requestTimeout: 5000,
  });
  const stop: () => void = hub.on('state', (change: StateChange) => console.log(change.previous, change.current, change.transport, change.closeCode));
  stop();
  await hub.connect();
  const lobby: Channel = hub.channel('room:lobby');
  lobby.on('continuityLost', ({ lastProcessed, resumedAt }) => console.log(lastProcessed?.serial, resumedAt.epoch));
  lobby.on('presence', ({ action, member }) => console.log(action, member.clientId));
  await lobby.subscribe<{ text: string }>((message: ChannelMessage<{ text: string }>) => console.log(message.serial, message.data.text, message.publisher?.clientId));
  const ack = await lobby.publish({ text: 'hi' }, { messageId: 'm-1' });
  const position: StreamPosition = { serial: ack.serial, epoch: ack.epoch };
  const page = await lobby.history({ limit: 50, direction: 'backward', since: position });
  console.log(page.position.serial, page.messages.length);
  await lobby.enter({ name: 'Ada' });
  const members: PresenceMember<{ name: string }>[] = await lobby.members<{ name: string }>();
  console.log(members[0]?.data?.name, lobby.subscribed, lobby.position, hub.transport, hub.limits?.publishRate);
  try {
    await lobby.leave();
  } catch (error) {
    if (error instanceof WirehubError) console.log(error.code, error.retriable, error.reason);
    else if (error instanceof WirehubTimeoutError) console.log(error.message);
  }
  await hub.close();
}

void usage;
