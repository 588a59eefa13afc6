CREATE TABLE "clarifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"competition_id" integer NOT NULL,
	"round_id" integer,
	"asked_by" integer,
	"question" text DEFAULT '' NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"answer" text,
	"answered_by" integer,
	"answered_at" timestamp with time zone,
	"visibility" text DEFAULT 'private' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "competition_awards" (
	"id" serial PRIMARY KEY NOT NULL,
	"competition_id" integer NOT NULL,
	"kind" text NOT NULL,
	"user_id" integer,
	"unit_id" integer,
	"prize" text NOT NULL,
	"rank" integer NOT NULL,
	"score" numeric(9, 3) NOT NULL,
	"awarded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "competition_awards_target_check" CHECK (("competition_awards"."kind" = 'individual' and "competition_awards"."user_id" is not null) or ("competition_awards"."kind" = 'unit' and "competition_awards"."unit_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "competition_judges" (
	"competition_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"is_head" boolean DEFAULT false NOT NULL,
	CONSTRAINT "competition_judges_competition_id_user_id_pk" PRIMARY KEY("competition_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "competition_registrations" (
	"competition_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"team_id" integer,
	"status" text DEFAULT 'registered' NOT NULL,
	"registered_by" integer,
	"registered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "competition_registrations_competition_id_user_id_pk" PRIMARY KEY("competition_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "competition_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"competition_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"start_mode" text DEFAULT 'fixed' NOT NULL,
	"assessment_id" integer NOT NULL,
	"counts" boolean DEFAULT true NOT NULL,
	CONSTRAINT "competition_rounds_kind_check" CHECK ("competition_rounds"."kind" in ('theory', 'practical'))
);
--> statement-breakpoint
CREATE TABLE "competition_teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"competition_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "competitions" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"unit_rule" text DEFAULT 'best_k' NOT NULL,
	"unit_best_k" integer DEFAULT 3 NOT NULL,
	"team_size_max" integer DEFAULT 5 NOT NULL,
	"eligible_unit_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"freeze_minutes" integer DEFAULT 0 NOT NULL,
	"judge_margin" numeric(7, 2) DEFAULT 2 NOT NULL,
	"prize_quotas" jsonb NOT NULL,
	"board_public" boolean DEFAULT false NOT NULL,
	"results_published_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competitions_unit_rule_check" CHECK ("competitions"."unit_rule" in ('best_k', 'mean_registered', 'mean_team'))
);
--> statement-breakpoint
CREATE TABLE "judge_assignments" (
	"submission_id" uuid NOT NULL,
	"judge_id" integer NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "judge_assignments_submission_id_judge_id_pk" PRIMARY KEY("submission_id","judge_id")
);
--> statement-breakpoint
CREATE TABLE "judge_scores" (
	"submission_id" uuid NOT NULL,
	"judge_id" integer NOT NULL,
	"points" jsonb NOT NULL,
	"total" numeric(7, 2) NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"scored_at" timestamp with time zone NOT NULL,
	CONSTRAINT "judge_scores_submission_id_judge_id_pk" PRIMARY KEY("submission_id","judge_id")
);
--> statement-breakpoint
CREATE TABLE "practical_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" integer NOT NULL,
	"attempt_id" uuid NOT NULL,
	"user_id" integer NOT NULL,
	"blind_code" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"saved_at" timestamp with time zone NOT NULL,
	"final_score" numeric(7, 2),
	"final_by" integer,
	"final_at" timestamp with time zone,
	"final_note" text
);
--> statement-breakpoint
CREATE TABLE "practical_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"statement" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rubric_criteria" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"max_points" numeric(7, 2) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_round_id_competition_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."competition_rounds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_asked_by_users_id_fk" FOREIGN KEY ("asked_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_awards" ADD CONSTRAINT "competition_awards_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_awards" ADD CONSTRAINT "competition_awards_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_awards" ADD CONSTRAINT "competition_awards_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_judges" ADD CONSTRAINT "competition_judges_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_judges" ADD CONSTRAINT "competition_judges_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_registrations" ADD CONSTRAINT "competition_registrations_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_registrations" ADD CONSTRAINT "competition_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_registrations" ADD CONSTRAINT "competition_registrations_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_registrations" ADD CONSTRAINT "competition_registrations_team_id_competition_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."competition_teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_registrations" ADD CONSTRAINT "competition_registrations_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_rounds" ADD CONSTRAINT "competition_rounds_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_rounds" ADD CONSTRAINT "competition_rounds_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_teams" ADD CONSTRAINT "competition_teams_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_teams" ADD CONSTRAINT "competition_teams_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitions" ADD CONSTRAINT "competitions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judge_assignments" ADD CONSTRAINT "judge_assignments_submission_id_practical_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."practical_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judge_assignments" ADD CONSTRAINT "judge_assignments_judge_id_users_id_fk" FOREIGN KEY ("judge_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judge_scores" ADD CONSTRAINT "judge_scores_submission_id_practical_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."practical_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judge_scores" ADD CONSTRAINT "judge_scores_judge_id_users_id_fk" FOREIGN KEY ("judge_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practical_submissions" ADD CONSTRAINT "practical_submissions_task_id_practical_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."practical_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practical_submissions" ADD CONSTRAINT "practical_submissions_attempt_id_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practical_submissions" ADD CONSTRAINT "practical_submissions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practical_submissions" ADD CONSTRAINT "practical_submissions_final_by_users_id_fk" FOREIGN KEY ("final_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practical_tasks" ADD CONSTRAINT "practical_tasks_round_id_competition_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."competition_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rubric_criteria" ADD CONSTRAINT "rubric_criteria_task_id_practical_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."practical_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clarifications_competition_id_idx" ON "clarifications" USING btree ("competition_id","asked_at");--> statement-breakpoint
CREATE INDEX "clarifications_round_id_idx" ON "clarifications" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "clarifications_asked_by_idx" ON "clarifications" USING btree ("asked_by");--> statement-breakpoint
CREATE INDEX "clarifications_answered_by_idx" ON "clarifications" USING btree ("answered_by");--> statement-breakpoint
CREATE INDEX "competition_awards_competition_id_idx" ON "competition_awards" USING btree ("competition_id");--> statement-breakpoint
CREATE INDEX "competition_awards_user_id_idx" ON "competition_awards" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "competition_awards_unit_id_idx" ON "competition_awards" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "competition_judges_user_id_idx" ON "competition_judges" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "competition_registrations_user_id_idx" ON "competition_registrations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "competition_registrations_unit_id_idx" ON "competition_registrations" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "competition_registrations_team_id_idx" ON "competition_registrations" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "competition_registrations_registered_by_idx" ON "competition_registrations" USING btree ("registered_by");--> statement-breakpoint
CREATE UNIQUE INDEX "competition_rounds_position_key" ON "competition_rounds" USING btree ("competition_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "competition_rounds_assessment_key" ON "competition_rounds" USING btree ("assessment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "competition_teams_unit_key" ON "competition_teams" USING btree ("competition_id","unit_id");--> statement-breakpoint
CREATE INDEX "competition_teams_unit_id_idx" ON "competition_teams" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "competitions_slug_key" ON "competitions" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "competitions_created_by_idx" ON "competitions" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "judge_assignments_judge_id_idx" ON "judge_assignments" USING btree ("judge_id");--> statement-breakpoint
CREATE INDEX "judge_scores_judge_id_idx" ON "judge_scores" USING btree ("judge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "practical_submissions_task_attempt_key" ON "practical_submissions" USING btree ("task_id","attempt_id");--> statement-breakpoint
CREATE UNIQUE INDEX "practical_submissions_blind_code_key" ON "practical_submissions" USING btree ("blind_code");--> statement-breakpoint
CREATE INDEX "practical_submissions_attempt_id_idx" ON "practical_submissions" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "practical_submissions_user_id_idx" ON "practical_submissions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "practical_submissions_final_by_idx" ON "practical_submissions" USING btree ("final_by");--> statement-breakpoint
CREATE UNIQUE INDEX "practical_tasks_position_key" ON "practical_tasks" USING btree ("round_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "rubric_criteria_position_key" ON "rubric_criteria" USING btree ("task_id","position");