-- The schema the migrations make (apps/api-e2e/src/schema.spec.ts compares; do not edit).
-- After a deliberate migration: cd apps/api-e2e && UPDATE_SCHEMA_SNAPSHOT=1 npx jest src/schema.spec.ts

-- migration CreateInitialSchema1764032400000
-- migration AddMessageMentions1764040000000
-- migration AddBansAndAuditLog1764050000000
-- migration AddInvites1764060000000
-- migration AddMessageRevisions1764070000000
-- migration CountBatchSequencesInMemory1764080000000
-- migration AddThreads1764090000000
-- migration AddMessageSearch1764100000000
-- migration AddSearchWordPairs1764110000000
-- migration UnloggedLoginChallenges1764120000000
-- migration PowSecretAndBoundChallenges1764130000000

CREATE TABLE public.audit_log (
  id bigint NOT NULL DEFAULT nextval('public.audit_log_id_seq'::regclass),
  at timestamp with time zone NOT NULL DEFAULT now(),
  actor_key text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  CONSTRAINT audit_log_pkey PRIMARY KEY (id)
);
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.mpqcht_audit_log_append_only();
CREATE TRIGGER audit_log_no_update_or_delete BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.mpqcht_audit_log_append_only();

CREATE TABLE public.bans (
  public_key text NOT NULL,
  reason text NOT NULL,
  banned_by text NOT NULL,
  banned_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT bans_pkey PRIMARY KEY (public_key)
);

CREATE TABLE public.channel_sequences (
  channel_id text NOT NULL,
  last_seq bigint NOT NULL,
  last_ms bigint NOT NULL,
  last_rev bigint NOT NULL,
  CONSTRAINT channel_sequences_pkey PRIMARY KEY (channel_id)
);

CREATE TABLE public.invites (
  id bigint NOT NULL DEFAULT nextval('public.invites_id_seq'::regclass),
  code_hash bytea NOT NULL,
  created_by text NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  max_uses integer,
  uses integer NOT NULL DEFAULT 0,
  expires_at timestamp with time zone,
  roles text[] NOT NULL DEFAULT '{}'::text[],
  note text,
  revoked_at timestamp with time zone,
  CONSTRAINT invites_check CHECK (((uses >= 0) AND ((max_uses IS NULL) OR (uses <= max_uses)))),
  CONSTRAINT invites_code_hash_check CHECK ((octet_length(code_hash) = 32)),
  CONSTRAINT invites_code_hash_key UNIQUE (code_hash),
  CONSTRAINT invites_max_uses_check CHECK (((max_uses IS NULL) OR (max_uses > 0))),
  CONSTRAINT invites_pkey PRIMARY KEY (id)
);

CREATE UNLOGGED TABLE public.login_challenges (
  nonce bytea NOT NULL,
  expires_at timestamp with time zone NOT NULL,
  bound_key text,
  CONSTRAINT login_challenges_pkey PRIMARY KEY (nonce)
);
CREATE INDEX login_challenges_expires_at ON public.login_challenges USING btree (expires_at);

CREATE TABLE public.members (
  public_key text NOT NULL,
  display_name text,
  display_name_key text,
  roles text[] NOT NULL DEFAULT '{}'::text[],
  authorized_by text,
  authorized_at timestamp with time zone NOT NULL DEFAULT now(),
  joined_at timestamp with time zone,
  CONSTRAINT members_pkey PRIMARY KEY (public_key),
  CONSTRAINT members_public_key_check CHECK ((public_key ~ '^0[23][0-9a-f]{64}$'::text))
);
CREATE UNIQUE INDEX members_display_name_key ON public.members USING btree (display_name_key) WHERE (display_name_key IS NOT NULL);

CREATE TABLE public.messages (
  id uuid NOT NULL,
  channel_id text NOT NULL,
  seq bigint NOT NULL,
  author_key text NOT NULL,
  client_id uuid NOT NULL,
  content text NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  edited_at timestamp with time zone,
  deleted_at timestamp with time zone,
  mentions text[] NOT NULL DEFAULT '{}'::text[],
  rev bigint NOT NULL,
  search_vector tsvector,
  home_channel_id text,
  CONSTRAINT messages_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX messages_author_client_id ON public.messages USING btree (author_key, client_id);
CREATE INDEX messages_author_key_id ON public.messages USING btree (author_key, id);
CREATE INDEX messages_channel_id_id ON public.messages USING btree (channel_id, id);
CREATE UNIQUE INDEX messages_channel_rev ON public.messages USING btree (channel_id, rev);
CREATE UNIQUE INDEX messages_channel_seq ON public.messages USING btree (channel_id, seq);
CREATE INDEX messages_home_channel_id_id ON public.messages USING btree (home_channel_id, id);
CREATE INDEX messages_mentions ON public.messages USING gin (mentions) WHERE (mentions <> '{}'::text[]);
CREATE INDEX messages_search ON public.messages USING gin (home_channel_id, search_vector) WITH (fastupdate=off);
CREATE TRIGGER messages_search_columns BEFORE INSERT OR UPDATE OF content, mentions ON public.messages FOR EACH ROW EXECUTE FUNCTION public.mpqcht_message_search_columns();
CREATE TRIGGER messages_thread_changed AFTER UPDATE OF content, mentions, deleted_at ON public.messages FOR EACH ROW WHEN ((new.channel_id ~~ 'thread:%'::text)) EXECUTE FUNCTION public.mpqcht_thread_message_changed();
CREATE TRIGGER messages_thread_posted AFTER INSERT ON public.messages FOR EACH ROW WHEN ((new.channel_id ~~ 'thread:%'::text)) EXECUTE FUNCTION public.mpqcht_thread_message_posted();

CREATE TABLE public.migrations (
  id integer NOT NULL DEFAULT nextval('public.migrations_id_seq'::regclass),
  "timestamp" bigint NOT NULL,
  name character varying NOT NULL,
  CONSTRAINT "PK_8c82d7f526340ab734260ea46be" PRIMARY KEY (id)
);

CREATE TABLE public.read_markers (
  member_key text NOT NULL,
  channel_id text NOT NULL,
  last_read_seq bigint NOT NULL,
  last_read_message_id uuid,
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT read_markers_pkey PRIMARY KEY (member_key, channel_id)
);

CREATE TABLE public.search_index_state (
  singleton boolean NOT NULL DEFAULT true,
  config regconfig NOT NULL DEFAULT 'simple'::regconfig,
  rebuilt_through uuid,
  rebuilt boolean NOT NULL DEFAULT false,
  CONSTRAINT search_index_state_pkey PRIMARY KEY (singleton),
  CONSTRAINT search_index_state_singleton_check CHECK (singleton)
);

CREATE TABLE public.server_secrets (
  name text NOT NULL,
  secret bytea NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT server_secrets_pkey PRIMARY KEY (name),
  CONSTRAINT server_secrets_secret_check CHECK ((octet_length(secret) >= 32))
);

CREATE TABLE public.thread_followers (
  thread_id uuid NOT NULL,
  member_key text NOT NULL,
  followed_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT thread_followers_pkey PRIMARY KEY (thread_id, member_key),
  CONSTRAINT thread_followers_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES public.threads(id)
);
CREATE INDEX thread_followers_member ON public.thread_followers USING btree (member_key, thread_id);

CREATE TABLE public.threads (
  id uuid NOT NULL,
  channel_id text NOT NULL,
  name text NOT NULL,
  creator_key text NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  message_count integer NOT NULL DEFAULT 0,
  last_message_at timestamp with time zone NOT NULL DEFAULT now(),
  participants text[] NOT NULL DEFAULT '{}'::text[],
  locked boolean NOT NULL DEFAULT false,
  archived_at timestamp with time zone,
  deleted_at timestamp with time zone,
  CONSTRAINT threads_id_fkey FOREIGN KEY (id) REFERENCES public.messages(id),
  CONSTRAINT threads_pkey PRIMARY KEY (id)
);
CREATE INDEX threads_archive_due ON public.threads USING btree (last_message_at) WHERE ((archived_at IS NULL) AND (deleted_at IS NULL));
CREATE INDEX threads_channel_listing ON public.threads USING btree (channel_id, ((archived_at IS NOT NULL)), last_message_at DESC, id DESC) WHERE (deleted_at IS NULL);

CREATE SEQUENCE public.audit_log_id_seq AS bigint OWNED BY public.audit_log.id;
CREATE SEQUENCE public.invites_id_seq AS bigint OWNED BY public.invites.id;
CREATE SEQUENCE public.migrations_id_seq AS integer OWNED BY public.migrations.id;

CREATE OR REPLACE FUNCTION public.mpqcht_audit_log_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_delete_message(p_id uuid, p_actor text, p_moderation boolean)
 RETURNS TABLE(channel_id text, seq bigint, rev bigint)
 LANGUAGE plpgsql
AS $function$
      #variable_conflict use_column
      DECLARE
        v_channel text;
        v_rev bigint;
      BEGIN
        SELECT m.channel_id INTO v_channel FROM messages m WHERE m.id = p_id AND m.deleted_at IS NULL;
        IF NOT FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev + 1 WHERE c.channel_id = v_channel
        RETURNING c.last_rev INTO v_rev;
        RETURN QUERY
          WITH d AS (
            UPDATE messages m SET content = '', mentions = '{}', deleted_at = now(), rev = v_rev
            WHERE m.id = p_id AND m.deleted_at IS NULL
            RETURNING m.channel_id, m.seq, m.rev, m.author_key),
          a AS (
            INSERT INTO audit_log (actor_key, action, target, details)
            SELECT p_actor, 'message.removed', p_id::text,
                   jsonb_build_object('channelId', d.channel_id, 'author', d.author_key, 'seq', d.seq)
            FROM d WHERE p_moderation)
          SELECT d.channel_id, d.seq, d.rev FROM d;
        IF FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev - 1 WHERE c.channel_id = v_channel;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_edit_message(p_id uuid, p_author text, p_content text, p_mentions text[])
 RETURNS TABLE(id uuid, channel_id text, seq bigint, rev bigint, author_key text, client_id uuid, content text, mentions text[], created_at timestamp with time zone, edited_at timestamp with time zone)
 LANGUAGE plpgsql
AS $function$
      #variable_conflict use_column
      DECLARE
        v_channel text;
        v_rev bigint;
      BEGIN
        SELECT m.channel_id INTO v_channel FROM messages m
        WHERE m.id = p_id AND m.author_key = p_author AND m.deleted_at IS NULL;
        IF NOT FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev + 1 WHERE c.channel_id = v_channel
        RETURNING c.last_rev INTO v_rev;
        RETURN QUERY UPDATE messages m SET content = p_content, mentions = p_mentions, edited_at = now(),
                                          rev = v_rev
                     WHERE m.id = p_id AND m.deleted_at IS NULL
                     RETURNING m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id, m.content,
                               m.mentions, m.created_at, m.edited_at;
        IF FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev - 1 WHERE c.channel_id = v_channel;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_message_search_columns()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_config regconfig;
      BEGIN
        SELECT s.config INTO v_config FROM search_index_state s;
        NEW.search_vector := mpqcht_search_vector(v_config, NEW.channel_id, NEW.content, NEW.mentions);
        IF TG_OP = 'INSERT' THEN
          IF NEW.channel_id LIKE 'thread:%' THEN
            SELECT t.channel_id INTO NEW.home_channel_id FROM threads t
            WHERE t.id = substr(NEW.channel_id, 8)::uuid;
          ELSE
            NEW.home_channel_id := NEW.channel_id;
          END IF;
        END IF;
        RETURN NEW;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_post_messages(p_channels text[], p_authors text[], p_clients uuid[], p_contents text[], p_mentions jsonb)
 RETURNS TABLE(ord integer, id uuid, channel_id text, seq bigint, rev bigint, author_key text, client_id uuid, content text, mentions text[], created_at timestamp with time zone, edited_at timestamp with time zone, duplicate boolean)
 LANGUAGE plpgsql
AS $function$
      #variable_conflict use_column
      DECLARE
        v_item record;
        v_channel text;
        v_seq bigint;
        v_rev bigint;
        v_ms bigint;
        v_now_ms bigint;
      BEGIN
        FOR v_item IN
          SELECT (i.ord - 1)::int AS ord, i.channel, i.author, i.client, i.content,
                 ARRAY(SELECT jsonb_array_elements_text(p_mentions -> (i.ord - 1)::int)) AS mentions
          FROM unnest(p_channels, p_authors, p_clients, p_contents)
               WITH ORDINALITY AS i(channel, author, client, content, ord)
          ORDER BY i.channel, i.ord
        LOOP
          IF v_channel IS DISTINCT FROM v_item.channel THEN
            IF v_channel IS NOT NULL THEN
              UPDATE channel_sequences c SET last_seq = v_seq, last_rev = v_rev, last_ms = v_ms
              WHERE c.channel_id = v_channel;
            END IF;
            v_channel := v_item.channel;
            INSERT INTO channel_sequences AS c (channel_id, last_seq, last_rev, last_ms)
            VALUES (v_channel, 0, 0, 0) ON CONFLICT (channel_id) DO NOTHING;
            SELECT c.last_seq, c.last_rev, c.last_ms INTO v_seq, v_rev, v_ms
            FROM channel_sequences c WHERE c.channel_id = v_channel FOR UPDATE;
          END IF;

          v_now_ms := greatest(v_ms, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint);
          RETURN QUERY INSERT INTO messages AS m (id, channel_id, seq, rev, author_key, client_id, content,
                                                  mentions, created_at)
                       VALUES (mpqcht_uuid7(v_now_ms, v_seq + 1), v_channel, v_seq + 1, v_rev + 1,
                               v_item.author, v_item.client, v_item.content, v_item.mentions, now())
                       ON CONFLICT (author_key, client_id) DO NOTHING
                       RETURNING v_item.ord, m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
                                 m.content, m.mentions, m.created_at, m.edited_at, false;
          IF FOUND THEN
            v_seq := v_seq + 1;
            v_rev := v_rev + 1;
            v_ms := v_now_ms;
            CONTINUE;
          END IF;

          -- Stored before (a retry), or meanwhile by a concurrent transaction that committed while
          -- this one waited on the unique index: the stored message, as a duplicate.
          RETURN QUERY SELECT v_item.ord, m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
                              m.content, m.mentions, m.created_at, m.edited_at, true
                       FROM messages m WHERE m.author_key = v_item.author AND m.client_id = v_item.client;
        END LOOP;
        IF v_channel IS NOT NULL THEN
          UPDATE channel_sequences c SET last_seq = v_seq, last_rev = v_rev, last_ms = v_ms
          WHERE c.channel_id = v_channel;
        END IF;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_search_config(p_config regconfig, p_words text[], p_prefixes text[], p_phrases text[])
 RETURNS regconfig
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
        SELECT CASE WHEN p_config <> 'simple'::regconfig
                     AND cardinality(p_words) + cardinality(p_prefixes) + cardinality(p_phrases) > 0
                     AND numnode(mpqcht_search_words(p_config, p_words, p_prefixes, p_phrases,
                                                     '{}', '{}', '{}')) = 0
                    THEN 'simple'::regconfig ELSE p_config END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_search_markers(p_markers text[])
 RETURNS tsquery
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
        SELECT coalesce(
          (SELECT string_agg(mpqcht_tsquery_lexeme(k, false)::text, ' & ') FROM unnest(p_markers) AS k),
          '')::tsquery
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_search_phrases(p_config regconfig, p_phrases text[])
 RETURNS tsquery
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
AS $function$
      DECLARE
        q tsquery := '';
        w text;
        v_words tsvector;
        v_positions int;
        v_pairs text[];
        l text;
      BEGIN
        FOREACH w IN ARRAY p_phrases LOOP
          v_words := to_tsvector(p_config, w);
          SELECT count(*) INTO v_positions FROM unnest(v_words) AS u, unnest(u.positions);
          SELECT coalesce(array_agg(' ' || a.lexeme || ' ' || b.lexeme), '{}') INTO v_pairs
          FROM (SELECT lexeme, unnest(positions) AS p FROM unnest(v_words)) a
          JOIN (SELECT lexeme, unnest(positions) AS p FROM unnest(v_words)) b ON b.p = a.p + 1
          WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 2040
            AND NOT EXISTS (SELECT 1 FROM unnest(v_words) AS o, unnest(o.positions) AS op
                            WHERE op IN (a.p, b.p) AND o.lexeme NOT IN (a.lexeme, b.lexeme));
          FOREACH l IN ARRAY v_pairs LOOP q := q && mpqcht_tsquery_lexeme(l, false); END LOOP;
          IF NOT (v_positions = 2 AND cardinality(v_pairs) = 1) THEN
            q := q && phraseto_tsquery(p_config, w);
          END IF;
        END LOOP;
        RETURN q;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_search_vector(p_config regconfig, p_channel text, p_content text, p_mentions text[])
 RETURNS tsvector
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
AS $function$
      DECLARE
        v_simple tsvector := to_tsvector('simple', p_content);
        v tsvector := v_simple || mpqcht_word_pairs(v_simple);
        v_words tsvector;
      BEGIN
        IF p_config <> 'simple'::regconfig THEN
          v_words := to_tsvector(p_config, p_content);
          v := v_words || mpqcht_word_pairs(v_words) || v;
        END IF;
        IF p_content ~* 'https?://' THEN v := v || ''' has:link'''::tsvector; END IF;
        IF strpos(p_content, '`') > 0 THEN v := v || ''' has:code'''::tsvector; END IF;
        IF cardinality(p_mentions) > 0 THEN
          -- Keys are hex: no comma inside one.
          v := v || ''' has:mention'''::tsvector
                 || array_to_tsvector(string_to_array(' mention:' || array_to_string(p_mentions, ', mention:'), ','));
        END IF;
        IF p_channel LIKE 'thread:%' THEN v := v || ''' in:thread'''::tsvector; END IF;
        RETURN v;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_search_words(p_config regconfig, p_words text[], p_prefixes text[], p_phrases text[], p_not_words text[], p_not_prefixes text[], p_not_phrases text[])
 RETURNS tsquery
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
AS $function$
      DECLARE
        q tsquery := '';
        w text;
        l text;
        part tsquery;
      BEGIN
        FOREACH w IN ARRAY p_words LOOP q := q && plainto_tsquery(p_config, w); END LOOP;
        FOREACH w IN ARRAY p_phrases LOOP q := q && phraseto_tsquery(p_config, w); END LOOP;
        FOREACH w IN ARRAY p_prefixes LOOP
          FOR l IN SELECT lexeme FROM unnest(to_tsvector(p_config, w)) LOOP
            q := q && mpqcht_tsquery_lexeme(l, true);
          END LOOP;
        END LOOP;
        FOREACH w IN ARRAY p_not_words LOOP
          part := plainto_tsquery(p_config, w);
          IF numnode(part) > 0 THEN q := q && !! part; END IF;
        END LOOP;
        FOREACH w IN ARRAY p_not_phrases LOOP
          part := phraseto_tsquery(p_config, w);
          IF numnode(part) > 0 THEN q := q && !! part; END IF;
        END LOOP;
        FOREACH w IN ARRAY p_not_prefixes LOOP
          part := '';
          FOR l IN SELECT lexeme FROM unnest(to_tsvector(p_config, w)) LOOP
            part := part && mpqcht_tsquery_lexeme(l, true);
          END LOOP;
          IF numnode(part) > 0 THEN q := q && !! part; END IF;
        END LOOP;
        RETURN q;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_thread_message_changed()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_thread uuid := substr(NEW.channel_id, 8)::uuid;
      BEGIN
        IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
          UPDATE threads t SET message_count = t.message_count - 1 WHERE t.id = v_thread;
        ELSIF NEW.deleted_at IS NULL THEN
          -- An edit: whoever it mentions now follows the thread.
          INSERT INTO thread_followers (thread_id, member_key)
          SELECT v_thread, k FROM unnest(NEW.mentions) AS k
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_thread_message_posted()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      DECLARE
        v_thread uuid := substr(NEW.channel_id, 8)::uuid;
      BEGIN
        UPDATE threads t
        SET message_count = t.message_count + 1,
            last_message_at = NEW.created_at,
            archived_at = NULL,
            participants = (array_prepend(NEW.author_key, array_remove(t.participants, NEW.author_key)))[1:3]
        WHERE t.id = v_thread;
        INSERT INTO thread_followers (thread_id, member_key)
        SELECT v_thread, k FROM unnest(array_prepend(NEW.author_key, NEW.mentions)) AS k
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_tsquery_lexeme(p_lexeme text, p_prefix boolean)
 RETURNS tsquery
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
        SELECT ('''' || replace(replace(p_lexeme, '\', '\\'), '''', '''''') || ''''
                || CASE WHEN p_prefix THEN ':*' ELSE '' END)::tsquery
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_uuid7(p_ms bigint, p_seq bigint)
 RETURNS uuid
 LANGUAGE sql
AS $function$
        SELECT encode(
          substring(int8send(p_ms) FROM 3 FOR 6)
          || int2send((28672 | ((p_seq >> 28) & 4095))::smallint)
          || int8send((-9223372036854775808)::bigint
                      + ((p_seq & 268435455) << 34)
                      + floor(random() * 17179869184)::bigint),
          'hex')::uuid
      $function$;

CREATE OR REPLACE FUNCTION public.mpqcht_word_pairs(p_vector tsvector)
 RETURNS tsvector
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
AS $function$
      DECLARE
        v_at text[];
        r record;
        p int;
        v_pairs text[] := '{}';
      BEGIN
        FOR r IN SELECT lexeme, positions FROM unnest(p_vector) LOOP
          FOREACH p IN ARRAY r.positions LOOP v_at[p] := r.lexeme; END LOOP;
        END LOOP;
        FOR p IN 2 .. coalesce(array_upper(v_at, 1), 0) LOOP
          IF v_at[p] IS NOT NULL AND v_at[p - 1] IS NOT NULL
             AND octet_length(v_at[p - 1]) + octet_length(v_at[p]) < 2040 THEN
            v_pairs := v_pairs || (' ' || v_at[p - 1] || ' ' || v_at[p]);
          END IF;
        END LOOP;
        RETURN array_to_tsvector(v_pairs);
      END
      $function$;
