/** Health checks beyond the built-in database check: the index storage. */
package dev.omnirag.server.health;
