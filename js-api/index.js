// The livewasm package entry: the API plus the custom elements, registered on import.
import { defineLivePusher } from '../web/live_pusher_element.js';
import { defineLivePlayer } from '../web/live_player_element.js';

export * from './headless.js';
export { LivePusherElement, defineLivePusher } from '../web/live_pusher_element.js';

export { LivePlayerElement, defineLivePlayer } from '../web/live_player_element.js';

defineLivePusher();
defineLivePlayer();
