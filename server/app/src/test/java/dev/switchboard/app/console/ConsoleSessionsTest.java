package dev.switchboard.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The console's session map is bounded in size and in time, and its ids are unguessable. */
class ConsoleSessionsTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void aSessionEndsAtItsLifetimeAndIsForgotten() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(60), 10, now::get);
        String id = sessions.create("token");
        now.addAndGet(Duration.ofMinutes(59).toNanos());
        assertThat(sessions.credential(id)).isEqualTo("token");
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(sessions.credential(id)).isNull();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void expiredSessionsAreDroppedByTheNextLoginEvenUnread() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(60), 1000, now::get);
        for (int i = 0; i < 500; i++) {
            sessions.create("token");
        }
        now.addAndGet(Duration.ofMinutes(61).toNanos());
        sessions.create("token");
        assertThat(sessions.size()).isEqualTo(1);
    }

    /**
     * Any accepted token opens a console session (AUTH_TOKENS are often given to frontends): its holder logging in
     * again and again drops its own oldest sessions, never the operator's (on main: 1000 logins ended every other
     * session, the operator's too).
     */
    @Test
    void oneCredentialLoggingInAgainAndAgainEndsOnlyItsOwnOldestSessions() {
        ConsoleSessions sessions = new ConsoleSessions();
        String operator = sessions.create("operator-token");
        String lastOfTheFlood = null;
        for (int i = 0; i < ConsoleSessions.MAX_SESSIONS * 2; i++) {
            lastOfTheFlood = sessions.create("frontend-token");
        }
        assertThat(sessions.credential(operator)).isEqualTo("operator-token");
        assertThat(sessions.credential(lastOfTheFlood)).isEqualTo("frontend-token");
        assertThat(sessions.size()).isEqualTo(1 + ConsoleSessions.MAX_SESSIONS_PER_CREDENTIAL);
    }

    @Test
    void atCapacityTheOldestLoginMakesRoom() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(60), 3, now::get);
        String first = sessions.create("a");
        String second = sessions.create("b");
        sessions.create("c");
        String fourth = sessions.create("d");
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.credential(first)).isNull();
        assertThat(sessions.credential(second)).isEqualTo("b");
        assertThat(sessions.credential(fourth)).isEqualTo("d");
    }

    @Test
    void theDefaultBoundHoldsUnderALoginFlood() {
        ConsoleSessions sessions = new ConsoleSessions();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < ConsoleSessions.MAX_SESSIONS * 3; i++) {
            ids.add(sessions.create("token-" + i)); // many credentials: one alone keeps only its own few
        }
        assertThat(sessions.size()).isEqualTo(ConsoleSessions.MAX_SESSIONS);
        assertThat(ids).hasSize(ConsoleSessions.MAX_SESSIONS * 3); // no id ever handed out twice
        assertThat(ids.iterator().next()).matches("[A-Za-z0-9_-]{43}"); // 256 bits
    }

    @Test
    void unknownAndNullIdsHaveNoCredential() {
        ConsoleSessions sessions = new ConsoleSessions();
        assertThat(sessions.credential(null)).isNull();
        assertThat(sessions.credential("guess")).isNull();
    }

    @Test
    void aTicketServesOneHandshakeWithinItsLifetimeAndDiesWithItsSession() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(60), 10, now::get);
        String id = sessions.create("token");
        String ticket = sessions.ticket(id);
        assertThat(sessions.redeem(ticket)).isEqualTo("token");
        assertThat(sessions.redeem(ticket)).as("used").isNull();

        String late = sessions.ticket(id);
        now.addAndGet(ConsoleSessions.TICKET_TTL.toNanos());
        assertThat(sessions.redeem(late)).as("expired").isNull();

        String orphan = sessions.ticket(id);
        sessions.remove(id);
        assertThat(sessions.redeem(orphan)).as("logged out").isNull();
        assertThat(sessions.ticket(id)).isNull();
        assertThat(sessions.ticket("made-up")).isNull();
        assertThat(sessions.redeem(null)).isNull();
    }

    @Test
    void waitingTicketsAreBounded() {
        ConsoleSessions sessions = new ConsoleSessions();
        String first = sessions.ticket(sessions.create("token-0"));
        for (int i = 1; i <= ConsoleSessions.MAX_TICKETS / ConsoleSessions.MAX_TICKETS_PER_SESSION + 1; i++) {
            String id = sessions.create("token-" + i);
            for (int t = 0; t < ConsoleSessions.MAX_TICKETS_PER_SESSION; t++) {
                sessions.ticket(id);
            }
        }
        assertThat(sessions.waitingTickets()).isEqualTo(ConsoleSessions.MAX_TICKETS);
        assertThat(sessions.redeem(first)).as("the oldest made room").isNull();
    }

    @Test
    void oneLoginAskingAgainAndAgainEndsOnlyItsOwnOldestTickets() {
        ConsoleSessions sessions = new ConsoleSessions();
        String operator = sessions.create("operator-token");
        String operatorTicket = sessions.ticket(operator);

        String lastOfFlood = null;
        for (int login = 0; login < ConsoleSessions.MAX_SESSIONS_PER_CREDENTIAL; login++) {
            String flooder = sessions.create("frontend-token");
            for (int i = 0; i < ConsoleSessions.MAX_TICKETS * 2; i++) {
                lastOfFlood = sessions.ticket(flooder);
            }
        }
        assertThat(sessions.redeem(operatorTicket)).as("the other operator's ticket survived").isEqualTo("operator-token");
        assertThat(sessions.waitingTickets()).as("waiting: the flood's own bound")
                .isEqualTo(ConsoleSessions.MAX_SESSIONS_PER_CREDENTIAL * ConsoleSessions.MAX_TICKETS_PER_SESSION);
        assertThat(sessions.redeem(lastOfFlood)).as("the flooder's newest still works").isEqualTo("frontend-token");
    }
}
