/** Tests of the search package's beans that need the running service (database, blob store). */
package dev.omnirag.server.search;
