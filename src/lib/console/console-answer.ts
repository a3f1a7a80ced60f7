/** What a console's command answers: its text, or its text and a way to follow what it prints next (tail -f, pktcap-uw) until Ctrl-C. */
export type FollowStep = (stop: boolean) => Promise<{ text: string; done: boolean }>;
export type ConsoleAnswer = string | { text: string; follow: FollowStep };
