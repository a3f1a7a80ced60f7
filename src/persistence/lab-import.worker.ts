/** Reads lab files for import in a worker of their own: a 4 MB lab's parse, validation and split stay off the page. */
import * as Comlink from 'comlink';
import { prepareLabText } from './prepared-lab';

Comlink.expose({ prepare: prepareLabText });
