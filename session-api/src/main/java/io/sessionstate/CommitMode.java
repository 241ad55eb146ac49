package io.sessionstate;

/**
 * How a commit treats a session that another request of the same visitor changed since this request
 * loaded it. In every mode a commit never brings back a session that is gone: one that was
 * {@linkplain Session#invalidate() invalidated}, or moved to a new key by {@link
 * Session#regenerateId()}, while this request ran stays gone, and this request's changes to it are
 * dropped. The modes need a store with versions ({@link io.sessionstate.spi.VersionedSessionStore},
 * as every store of this library is); {@link #COHERENT} also works over a store without them, then
 * without that guarantee.
 *
 * <p>Without a conflict every mode costs the same: one round trip to load, one to commit.
 */
public enum CommitMode {

  /**
   * The whole session, last writer wins, as ASP.NET Core's sessions do: a commit writes the session
   * this request holds, replacing what concurrent requests committed meanwhile, even values this
   * request never touched. The default.
   */
  COHERENT,

  /**
   * Per value: when another request committed since this one loaded, the commit takes the session
   * now stored, applies again only the values this request set or removed (and a {@link
   * Session#clear()}, which clears what was there first), and tries again; from its third write on
   * it first pauses a random while, up to twice as long each time (at most 50 ms), and reads the
   * session again, so that many requests writing one session at once take turns rather than
   * collide. After 32 writes it fails with {@link SessionConflictException}. Values this request
   * did not write are never overwritten by it. Two requests that set the same value: the last
   * committer's stays.
   */
  MERGE,

  /**
   * All or nothing: when another request committed since this one loaded, the commit writes nothing
   * and fails with {@link SessionConflictException}, so the application can retry the request or
   * tell the user. A commit refused because the session was invalidated meanwhile fails the same
   * way.
   */
  STRICT
}
