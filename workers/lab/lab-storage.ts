/**
 * What a page needs to keep and share a lab, as the lab API hands it to the UI: a document
 * split into IndexedDB parts and joined back (lab-parts.ts), and a lab's recorded actions
 * replayed (action-log.ts).
 */
export { componentKey, componentOfPart, documentParts, eventsKey, HEAD_KEY, isComponentPart, isSharedPart, joinParts, joinStoredParts, type KnownParts, type PartChanges, type PartRef } from './lab-parts';
export { bareAction, replayActions, type BareLabAction, type LabAction } from './action-log';
