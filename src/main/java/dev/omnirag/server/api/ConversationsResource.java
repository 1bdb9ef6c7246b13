package dev.omnirag.server.api;

import dev.omnirag.server.api.Views.ConversationDetail;
import dev.omnirag.server.api.Views.ConversationView;
import dev.omnirag.server.api.Views.TurnView;
import dev.omnirag.server.conversations.Conversations;
import dev.omnirag.server.db.ConversationEntity;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.RequiresCollectionRole;
import dev.omnirag.server.security.Role;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Conversations of a collection ({@link Conversations}): create and list them per collection, read one with its
 * turns, rename, delete, rate a turn. {@code POST /v1/collections/{id}/ask} with {@code conversationId} adds the
 * turns. A key reads and changes its own conversations; admins of the collection (and global admins) everyone's;
 * others get 404. Blocking.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationsResource {

    /** Most conversations one list returns. */
    static final int MAX_LIST = 200;

    private final Conversations conversations;
    private final Access access;

    ConversationsResource(Conversations conversations, Access access) {
        this.conversations = conversations;
        this.access = access;
    }

    public record ConversationList(List<ConversationView> conversations) {}

    @POST
    @Path("/collections/{id}/conversations")
    @RequiresCollectionRole(Role.READ)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("id") String id, @Valid Requests.CreateConversation body) {
        Principal p = access.requireCollection(Ids.parse("collection", id), Role.READ);
        ConversationEntity c = conversations.create(p, Ids.parse("collection", id), body == null ? null : body.title());
        return Response.created(URI.create("/v1/conversations/" + c.id))
                .entity(ConversationView.of(c))
                .build();
    }

    /** The collection's conversations the key may read, most recently updated first; {@code q} searches titles. */
    @GET
    @Path("/collections/{id}/conversations")
    @RequiresCollectionRole(Role.READ)
    public ConversationList list(
            @PathParam("id") String id, @QueryParam("q") String q, @QueryParam("limit") Integer limit) {
        Principal p = access.requireCollection(Ids.parse("collection", id), Role.READ);
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > MAX_LIST) {
            throw ApiException.badRequest("limit must be in 1.." + MAX_LIST + "; limit=" + n);
        }
        if (q != null && q.length() > Conversations.MAX_TITLE) {
            throw ApiException.badRequest(
                    "q must be at most " + Conversations.MAX_TITLE + " characters; length=" + q.length());
        }
        return new ConversationList(conversations.list(p, Ids.parse("collection", id), q, n).stream()
                .map(ConversationView::of)
                .toList());
    }

    @GET
    @Path("/conversations/{id}")
    public ConversationDetail get(@PathParam("id") String id) {
        ConversationEntity c = conversations.get(access.principal(), Ids.parse("conversation", id));
        return ConversationDetail.of(c, conversations.turns(c.id));
    }

    @PATCH
    @Path("/conversations/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ConversationView rename(@PathParam("id") String id, @Valid Requests.RenameConversation body) {
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"title\": \"...\"}");
        }
        return ConversationView.of(
                conversations.rename(access.principal(), Ids.parse("conversation", id), body.title()));
    }

    @DELETE
    @Path("/conversations/{id}")
    public Response delete(@PathParam("id") String id) {
        conversations.delete(access.principal(), Ids.parse("conversation", id));
        return Response.noContent().build();
    }

    /** Thumbs up or down for turn {@code n}, with an optional comment; rating again replaces it. */
    @POST
    @Path("/conversations/{id}/turns/{n}/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    public TurnView feedback(@PathParam("id") String id, @PathParam("n") String n, @Valid Requests.Feedback body) {
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"rating\": \"up\" | \"down\"}");
        }
        int turn;
        try {
            turn = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("the turn number must be a positive integer; n=" + n);
        }
        if (turn < 1) {
            throw ApiException.badRequest("the turn number must be a positive integer; n=" + n);
        }
        return TurnView.of(conversations.rate(
                access.principal(),
                Ids.parse("conversation", id),
                turn,
                body.rating().equals("up") ? 1 : -1,
                body.text()));
    }
}
