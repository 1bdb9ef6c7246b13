/**
 * Conversations: a collection's chats stored in PostgreSQL, each owned by the key that created it (readable by it
 * and by admins of the collection), with their turns as answered (question, answer, citations as returned then,
 * generator, time) and the reader's feedback. {@link dev.omnirag.server.conversations.Conversations} is the only
 * code that writes their rows. Blocking.
 */
package dev.omnirag.server.conversations;
