import django.db.models.deletion
from django.db import migrations, models

# Each outreach logged before it carried its pair gets the pair the mentee was in that
# day: the pair left by the mentee's first move after it, or, never moved since, the
# mentee's pair now. An outreach's day is the program's (a date the mentor chose there);
# a move's moment is UTC, so it is turned into the program's day before the two are
# compared (a move at 23:30 in the program's evening is already the next day in UTC).
BACKFILL = """
UPDATE mentoring_outreach o SET pair_id = COALESCE(
    (SELECT pc.pair_id FROM mentoring_pairchange pc
     JOIN mentoring_mentoringcycle c ON c.id = pc.cycle_id
     JOIN peers_trainingprogram p ON p.id = c.program_id
     WHERE pc.kind = 'moved' AND pc.mentee_id = o.mentee_id AND (pc.at AT TIME ZONE p.time_zone)::date > o.on
     ORDER BY pc.at, pc.sequence LIMIT 1),
    (SELECT me.pair_id FROM mentoring_mentee me WHERE me.id = o.mentee_id)
)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0020_away_notice_ends_early'),
    ]

    operations = [
        migrations.AddField(
            model_name='outreach',
            name='pair',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outreach', to='mentoring.mentorpair'),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='outreach',
            name='pair',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outreach', to='mentoring.mentorpair'),
        ),
    ]
