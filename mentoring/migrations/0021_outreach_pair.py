import django.db.models.deletion
from django.db import migrations, models

# Each outreach logged before it carried its pair gets the pair the mentee was in that
# day: the pair left by the mentee's first move after it, or, never moved since, the
# mentee's pair now.
BACKFILL = """
UPDATE mentoring_outreach o SET pair_id = COALESCE(
    (SELECT pc.pair_id FROM mentoring_pairchange pc
     WHERE pc.kind = 'moved' AND pc.mentee_id = o.mentee_id AND pc.at::date > o.on
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
