"""Conditions guide pages: muscles, joints and nerves (pain, stiffness and injuries)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fascia.practices.modalities import Modality
from fascia.website.guide import Condition, Precaution

MUSCLES_JOINTS_AND_NERVES: tuple[Condition, ...] = (
    Condition(
        "low-back-pain",
        _("Low back pain"),
        _("Why the low back aches, how massage therapy can ease it, and when to see a doctor."),
        _(
            "Most low back pain comes from the muscles, ligaments and joints of the lower spine: "
            "a strain from lifting, long hours sitting, or a change in how you walk after an "
            "injury elsewhere. It usually settles within weeks, but it can come back."
        ),
        (
            _("Ease muscle spasm and guarding so that moving hurts less."),
            _("Loosen the hips and buttocks, which pull on the low back when they are tight."),
            _("Help you keep active, which is what speeds recovery most."),
        ),
        _(
            "Massage does not fix a disc or realign the spine, and it does not replace the "
            "exercises that keep the back strong."
        ),
        (
            Modality.SWEDISH,
            Modality.DEEP_TISSUE,
            Modality.TRIGGER_POINT,
            Modality.MYOFASCIAL_RELEASE,
            Modality.HYDROTHERAPY,
        ),
        (
            Precaution(
                _(
                    "Back pain after a fall or accident, or with fever or weight loss you cannot "
                    "explain, needs a physician's assessment first."
                ),
                "unexplained_pain",
                physician_first=True,
            ),
            Precaution(
                _("Osteoporosis: tell your therapist, who will use lighter pressure."),
                "osteoporosis",
            ),
        ),
        (Modality.DEEP_TISSUE, Modality.SWEDISH, Modality.TRIGGER_POINT),
    ),
    Condition(
        "neck-and-shoulder-tension",
        _("Neck and shoulder tension"),
        _("Tight neck and shoulders from stress, screens or sleep: what massage can do."),
        _(
            "The muscles between the skull, the neck and the shoulder blades hold the head up "
            "all day. Stress, a forward head posture and awkward sleep keep them working, and "
            "they become tight, tender and stiff."
        ),
        (
            _("Release tight, tender spots that refer pain into the head and arms."),
            _("Restore the neck's range of motion so that turning the head is easier."),
            _("Lower overall tension and stress."),
        ),
        _("Tension comes back if what causes it does not change; your therapist can suggest how."),
        (
            Modality.SWEDISH,
            Modality.TRIGGER_POINT,
            Modality.MYOFASCIAL_RELEASE,
            Modality.JOINT_MOBILIZATION,
        ),
        (
            Precaution(
                _(
                    "Neck pain with numbness, weakness or clumsiness in the arms or hands needs a "
                    "physician first."
                ),
                physician_first=True,
            ),
            Precaution(
                _("High blood pressure or a heart condition: say so on your health history."),
                "heart_or_blood_pressure",
            ),
        ),
        (Modality.SWEDISH, Modality.TRIGGER_POINT, Modality.DEEP_TISSUE),
    ),
    Condition(
        "headache-and-migraine",
        _("Tension headache and migraine"),
        _("How massage therapy helps tension headaches and migraine between attacks."),
        _(
            "A tension headache feels like a band or pressure around the head and is often "
            "linked to tight neck and jaw muscles. Migraine is a nerve and blood-vessel "
            "disorder with throbbing pain, often with nausea or sensitivity to light."
        ),
        (
            _("Reduce how often tension headaches come and how strong they are."),
            _("Ease the neck and shoulder tension that can trigger a migraine."),
            _("Help with the stress and poor sleep that go with frequent headaches."),
        ),
        _("Massage is not a treatment during a migraine attack, and it does not cure migraine."),
        (Modality.SWEDISH, Modality.TRIGGER_POINT, Modality.MYOFASCIAL_RELEASE),
        (
            Precaution(
                _(
                    "A sudden, severe headache unlike any before, or one with a stiff neck, "
                    "fever, confusion or weakness, is an emergency: get medical care now."
                ),
                "unexplained_pain",
                physician_first=True,
            ),
        ),
        (Modality.SWEDISH, Modality.TRIGGER_POINT),
    ),
    Condition(
        "sciatica",
        _("Sciatica"),
        _("Pain down the back of the leg: what sciatica is and how massage therapy can help."),
        _(
            "Sciatica is pain, tingling or numbness along the sciatic nerve, from the buttock "
            "down the back of the leg. It comes from irritation of the nerve, at the spine (a "
            "disc, narrowing) or in the buttock where tight muscles press on it."
        ),
        (
            _("Relax the buttock muscles, such as the piriformis, that can press on the nerve."),
            _("Ease the low back and hip tension that builds up around the pain."),
            _("Work alongside a physiotherapist's exercises that take pressure off the nerve."),
        ),
        _("Massage cannot move a disc off a nerve; that takes time, exercise or medical care."),
        (
            Modality.SWEDISH,
            Modality.DEEP_TISSUE,
            Modality.TRIGGER_POINT,
            Modality.MYOFASCIAL_RELEASE,
            Modality.HYDROTHERAPY,
        ),
        (
            Precaution(
                _(
                    "Numbness in the groin or trouble controlling your bladder or bowels is an "
                    "emergency: get medical care now."
                ),
                physician_first=True,
            ),
            Precaution(
                _(
                    "Loss of feeling in the leg: tell your therapist, who will adjust pressure "
                    "and heat."
                ),
                "reduced_sensation",
            ),
        ),
        (Modality.DEEP_TISSUE, Modality.TRIGGER_POINT, Modality.REHABILITATION),
    ),
    Condition(
        "carpal-tunnel-syndrome",
        _("Carpal tunnel syndrome"),
        _("Numb, tingling hands: how massage therapy can ease carpal tunnel symptoms."),
        _(
            "The median nerve passes through a narrow tunnel at the wrist. When the tunnel is "
            "crowded, by swelling, repetitive work or pregnancy, the thumb and first fingers "
            "tingle, go numb or ache, often at night."
        ),
        (
            _("Loosen the forearm muscles and tissues around the wrist."),
            _("Reduce numbness and pain, and improve grip and wrist movement."),
            _("Teach stretches and glides to do at home between visits."),
        ),
        _(
            "Constant numbness or a weak, wasting thumb muscle needs a physician; massage does "
            "not replace splinting or surgery when those are needed."
        ),
        (
            Modality.SWEDISH,
            Modality.MYOFASCIAL_RELEASE,
            Modality.TRIGGER_POINT,
            Modality.JOINT_MOBILIZATION,
            Modality.REHABILITATION,
        ),
        (
            Precaution(
                _("Reduced feeling in the hand: your therapist adjusts pressure and heat."),
                "reduced_sensation",
            ),
        ),
        (Modality.MYOFASCIAL_RELEASE, Modality.SWEDISH, Modality.REHABILITATION),
    ),
    Condition(
        "frozen-shoulder-and-impingement",
        _("Frozen shoulder and shoulder impingement"),
        _("Stiff or pinching shoulders: how massage therapy helps movement come back."),
        _(
            "In a frozen shoulder the joint's capsule thickens and tightens, and movement is "
            "lost over months. In impingement, a tendon of the rotator cuff is pinched when "
            "the arm is raised, which hurts reaching overhead."
        ),
        (
            _("Relax the muscles around the shoulder blade and the chest."),
            _("Gently work the joint to keep and regain range of motion."),
            _("Support the exercises a physiotherapist prescribes."),
        ),
        _(
            "A frozen shoulder takes months to thaw whatever is done; massage eases the way "
            "but does not shorten it to days."
        ),
        (
            Modality.MYOFASCIAL_RELEASE,
            Modality.TRIGGER_POINT,
            Modality.JOINT_MOBILIZATION,
            Modality.HYDROTHERAPY,
            Modality.REHABILITATION,
        ),
        (
            Precaution(
                _("A hot, swollen, very painful joint needs a physician before massage."),
                "acute_inflammation",
            ),
            Precaution(
                _(
                    "Shoulder surgery in the last year: treatment avoids the site until your "
                    "surgeon agrees."
                ),
                "recent_surgery",
            ),
        ),
        (Modality.REHABILITATION, Modality.MYOFASCIAL_RELEASE, Modality.DEEP_TISSUE),
    ),
    Condition(
        "osteoarthritis",
        _("Osteoarthritis"),
        _("Stiff, aching joints: how massage therapy can ease osteoarthritis."),
        _(
            "Osteoarthritis is wear of the cartilage that lines a joint, most often in the "
            "knees, hips, hands and spine. Joints ache, stiffen after rest, and the muscles "
            "around them tighten to protect them."
        ),
        (
            _("Ease pain and the stiffness after rest."),
            _("Relax the muscles that guard the joint, so it moves more freely."),
            _("Warmth and gentle joint movement that make exercise easier."),
        ),
        _("Massage does not rebuild cartilage."),
        (
            Modality.SWEDISH,
            Modality.HYDROTHERAPY,
            Modality.JOINT_MOBILIZATION,
            Modality.MYOFASCIAL_RELEASE,
        ),
        (
            Precaution(
                _(
                    "A joint that is suddenly hot, red and swollen is not treated directly: see "
                    "your physician."
                ),
                "acute_inflammation",
            ),
            Precaution(
                _("Osteoporosis or a joint replacement: tell your therapist."),
                "osteoporosis",
            ),
        ),
        (Modality.SWEDISH, Modality.GERIATRIC, Modality.HYDROTHERAPY),
    ),
    Condition(
        "sports-and-overuse-injuries",
        _("Sports and overuse injuries"),
        _("Shin splints, tendon pain and tight muscles from training: massage therapy's part."),
        _(
            "Doing the same movement many times, or more than the body is ready for, irritates "
            "tendons and muscles: shin splints, tennis elbow, runner's knee. Training then "
            "hurts and performance drops."
        ),
        (
            _("Ease tight, overworked muscles and the tender spots in them."),
            _("Help tissue recover between training sessions."),
            _("Restore movement so you return to sport with less risk of a new injury."),
        ),
        _(
            "Massage does not replace rest, a change in training, or the strengthening that "
            "stops the injury coming back."
        ),
        (
            Modality.DEEP_TISSUE,
            Modality.TRIGGER_POINT,
            Modality.MYOFASCIAL_RELEASE,
            Modality.CUPPING,
            Modality.HYDROTHERAPY,
            Modality.REHABILITATION,
        ),
        (
            Precaution(
                _(
                    "A new, hot and swollen injury: cold and rest first; no direct massage on it "
                    "for the first days."
                ),
                "acute_inflammation",
            ),
            Precaution(
                _("A painful, swollen, warm calf can be a blood clot: see a physician today."),
                "suspected_dvt",
                physician_first=True,
            ),
        ),
        (Modality.SPORTS, Modality.DEEP_TISSUE, Modality.REHABILITATION),
    ),
    Condition(
        "muscle-strains",
        _("Muscle strains"),
        _("A pulled muscle: how massage therapy helps it heal well, and when to wait."),
        _(
            "A strain is a stretch or tear of muscle fibres, often in the hamstring, calf or "
            "back, from a sudden effort. It hurts to use, may bruise, and heals over days to "
            "weeks depending on how bad it is."
        ),
        (
            _("After the first days, improve circulation and ease the tight muscle around it."),
            _("Help the healing tissue lay down in line, so it stays flexible."),
            _("Restore range of motion as you return to activity."),
        ),
        _("A complete tear, or one you cannot put weight on, needs medical care first."),
        (
            Modality.SWEDISH,
            Modality.MYOFASCIAL_RELEASE,
            Modality.HYDROTHERAPY,
            Modality.REHABILITATION,
        ),
        (
            Precaution(
                _("In the first days, a hot, swollen strain is not massaged directly."),
                "acute_inflammation",
            ),
            Precaution(
                _("Blood thinners: bruising comes easily; pressure stays light."),
                "anticoagulants",
            ),
        ),
        (Modality.REHABILITATION, Modality.SPORTS, Modality.SWEDISH),
    ),
    Condition(
        "desk-posture-pain",
        _("Postural pain from desk work"),
        _("Aching neck, shoulders and back after long days at a desk: what helps."),
        _(
            "Hours in one position, with the head forward and the shoulders rounded, leave "
            "some muscles short and tight and others long and tired. The result is an ache in "
            "the neck, between the shoulder blades, or in the low back by the end of the day."
        ),
        (
            _("Release the chest and neck muscles that pull you forward."),
            _("Ease the tired muscles between the shoulder blades."),
            _("Show stretches and desk changes that keep the benefit."),
        ),
        _("Without changes to the desk and breaks from sitting, the ache returns."),
        (
            Modality.SWEDISH,
            Modality.TRIGGER_POINT,
            Modality.MYOFASCIAL_RELEASE,
            Modality.CUPPING,
        ),
        (
            Precaution(
                _("Tingling or weakness in the arms or hands needs a physician's assessment."),
                physician_first=True,
            ),
        ),
        (Modality.SWEDISH, Modality.DEEP_TISSUE, Modality.TRIGGER_POINT),
    ),
    Condition(
        "jaw-pain",
        _("Temporomandibular (jaw) pain"),
        _("A sore, clicking or tight jaw: how massage therapy for the jaw can help."),
        _(
            "The temporomandibular joints hinge the jaw in front of each ear. Clenching, "
            "grinding at night, stress or an injury make the chewing muscles tight and sore; "
            "the jaw may click, lock or limit how wide you can open."
        ),
        (
            _(
                "Release the chewing muscles of the face and neck, and inside the mouth with "
                "gloves if you consent to it."
            ),
            _("Improve how wide and smoothly the jaw opens."),
            _("Reduce the headaches and ear pain that come with jaw tension."),
        ),
        _("Massage does not correct your bite; a dentist may need to see you too."),
        (Modality.TRIGGER_POINT, Modality.MYOFASCIAL_RELEASE, Modality.JOINT_MOBILIZATION),
        (
            Precaution(
                _("Work inside the mouth happens only with your separate, explicit consent."),
            ),
        ),
        (Modality.TMJ, Modality.TRIGGER_POINT),
    ),
    Condition(
        "whiplash",
        _("Whiplash"),
        _("Neck pain after a car accident: massage therapy's part in recovery and insurance."),
        _(
            "Whiplash is a strain of the neck's muscles, ligaments and joints when the head "
            "is thrown forward and back, most often in a car collision. Pain and stiffness "
            "often start hours or a day later, with headaches and shoulder pain."
        ),
        (
            _("Ease muscle spasm and pain once the first days have passed."),
            _("Restore neck movement gently and safely."),
            _("Work with your physiotherapist or physician under an auto-insurance plan of care."),
        ),
        _("Massage does not replace the medical assessment needed after an accident."),
        (
            Modality.SWEDISH,
            Modality.MYOFASCIAL_RELEASE,
            Modality.TRIGGER_POINT,
            Modality.HYDROTHERAPY,
            Modality.REHABILITATION,
        ),
        (
            Precaution(
                _(
                    "After any collision, have a physician or the emergency department check "
                    "you first, especially for numbness, weakness, dizziness or severe pain."
                ),
                "unexplained_pain",
                physician_first=True,
            ),
        ),
        (Modality.REHABILITATION, Modality.SWEDISH),
    ),
    Condition(
        "plantar-fasciitis",
        _("Plantar fasciitis"),
        _("Heel pain with the first steps of the day: how massage therapy and stretches help."),
        _(
            "The plantar fascia is a thick band under the foot from heel to toes. When it is "
            "irritated, the heel hurts sharply with the first steps in the morning or after "
            "sitting, and eases as you walk."
        ),
        (
            _("Loosen the calf and foot muscles that pull on the fascia."),
            _("Ease pain and tenderness at the heel."),
            _("Teach stretches and self-massage to do at home."),
        ),
        _("It takes weeks to months to settle; footwear and stretching matter as much."),
        (
            Modality.DEEP_TISSUE,
            Modality.MYOFASCIAL_RELEASE,
            Modality.TRIGGER_POINT,
            Modality.HYDROTHERAPY,
            Modality.CUPPING,
        ),
        (
            Precaution(
                _(
                    "Reduced feeling in the feet (for example with diabetes): your therapist "
                    "checks the skin and keeps heat and pressure moderate."
                ),
                "reduced_sensation",
            ),
        ),
        (Modality.DEEP_TISSUE, Modality.SPORTS, Modality.TRIGGER_POINT),
    ),
)
