"""The cue table: phrases (in folded form) that speak for an intent, with their weight.

Once the whole classifier, now the model's most readable features: a shop owner can read and
extend it, every classification lists the cues that fired, and a cue helps most where the
corpus is thin. Weights rank the evidence shown; the model learns how much each cue is worth.
"""

from __future__ import annotations

from bot.nlu.intents import Intent

CUES: dict[Intent, dict[str, float]] = {
    Intent.WHERE_IS_MY_ORDER: {
        "don hang": 1.0, "don": 0.6, "toi dau": 2.0, "den dau": 2.0, "o dau": 1.2, "bao gio": 1.2,
        "khi nao": 1.2, "may ngay": 1.0, "bao lau": 1.0, "giao chua": 2.0, "giao den": 1.2,
        "giao toi": 1.2, "tinh trang": 1.5, "trang thai": 1.5, "kiem tra": 1.0, "tra cuu": 1.5,
        "van don": 1.5, "ma van don": 1.5, "ship": 0.8, "shipper": 0.8, "nhan duoc": 1.0,
        "chua nhan": 2.0, "chua thay": 1.5, "chua toi": 2.0, "chua den": 2.0, "lau qua": 1.5,
        "theo doi": 1.2, "where is my order": 3.0, "my order": 1.5, "order status": 3.0,
        "track": 2.0, "tracking": 2.0, "when will": 1.5, "arrive": 1.5, "delivery status": 3.0,
        "hang cua em": 1.0, "giao hang": 0.6, "nhan hang": 0.8, "di toi dau": 2.0,
    },
    Intent.TALK_TO_HUMAN: {
        "nhan vien": 2.5, "nguoi that": 3.0, "tu van vien": 2.5, "admin": 2.0, "gap": 0.8,
        "noi chuyen": 1.5, "goi cho em": 1.5, "goi lai": 1.5, "ho tro": 0.8, "cskh": 2.5,
        "cham soc khach hang": 2.5, "human": 3.0, "real person": 3.0, "agent": 2.5,
        "talk to": 1.5, "speak to": 1.5, "chu shop": 2.0, "hotline": 1.5, "bot": 0.8,
    },
    Intent.RETURN_OR_EXCHANGE: {
        "doi hang": 3.0, "tra hang": 3.0, "doi size": 3.0, "doi mau": 3.0, "doi tra": 3.0,
        "hoan tien": 3.0, "hoan hang": 2.5, "bi loi": 2.0, "hang loi": 2.5, "bi hong": 2.0,
        "khong vua": 2.0, "sai hang": 2.5, "giao sai": 2.5, "rach": 1.5, "refund": 3.0,
        "return": 3.0, "exchange": 3.0, "doi san pham": 3.0, "bao hanh": 2.0, "thieu hang": 2.0,
    },
    Intent.CANCEL_ORDER: {
        "huy don": 4.0, "huy don hang": 4.0, "khong mua nua": 3.0, "khong lay nua": 3.0,
        "bo don": 3.0, "cancel order": 4.0, "cancel my order": 4.0, "huy giup": 2.5,
        "khong nhan nua": 3.0, "huy dat hang": 4.0,
    },
    Intent.CHANGE_DELIVERY: {
        "doi dia chi": 3.5, "sua dia chi": 3.5, "thay doi dia chi": 3.5, "giao buoi": 2.5,
        "giao vao": 1.5, "giao lai": 2.5, "hen giao": 2.5, "doi ngay giao": 3.5, "giao sau": 2.0,
        "doi gio giao": 3.5, "change address": 3.5, "deliver tomorrow": 3.0, "reschedule": 3.0,
        "dia chi moi": 2.5, "doi sdt": 2.5, "doi so dien thoai": 2.5, "giao ngay mai": 2.0,
    },
    Intent.OPT_OUT: {
        "dung nhan": 4.0, "dung gui": 4.0, "khong nhan tin": 3.0, "khong muon nhan": 3.5,
        "huy dang ky": 4.0, "ngung nhan": 4.0, "ngung gui": 4.0, "stop": 3.0, "unsubscribe": 4.0,
        "dung lam phien": 4.0, "spam": 2.5, "dung spam": 4.0, "dung nhan tin": 4.0, "opt out": 4.0,
        "khong can thong bao": 3.5, "tat thong bao": 4.0,
    },
    Intent.COUPON: {
        "ma giam gia": 4.0, "voucher": 4.0, "coupon": 4.0, "khuyen mai": 2.5, "giam gia": 2.5,
        "ma khuyen mai": 4.0, "discount": 3.0, "promo": 3.0, "uu dai": 2.5, "code giam": 3.5,
    },
    Intent.GREETING: {
        "chao": 2.0, "xin chao": 2.5, "hello": 2.5, "hi": 2.5, "alo": 2.5, "hey": 2.0,
        "chao shop": 3.0, "good morning": 2.5, "shop oi": 1.5, "co ai khong": 2.0,
    },
    Intent.THANKS: {
        "cam on": 3.0, "thanks": 3.0, "thank you": 3.0, "cam on shop": 3.5, "ok shop": 1.5,
        "tot qua": 1.5, "hai long": 1.5, "great": 1.5, "perfect": 1.5,
    },
}
# The shop's vocabulary per intent, folded: words the corpus may not hold in every phrasing, so a
# message that says "thủng" or "móp" still speaks for a return though no example used that word.
VOCABULARY: dict[Intent, str] = {
    Intent.WHERE_IS_MY_ORDER: (
        "toi chua|den chua|ve chua|gui chua|gui hang chua|ship chua|giao chua|da gui|xuat kho|roi kho|"
        "lay hang|cho lay hang|dang giao|dang van chuyen|van chuyen|trung chuyen|buu cuc|kho|that lac|"
        "mat hang|cham|lau|tre|delay|cap nhat|hanh trinh|du kien|mo mon|dai co|sot ruot|bao lau nua|"
        "con bao lau|may ngay nua|chua thay|chua co hang|chua nhan duoc|dang o dau|o dau roi|dau roi|"
        "where|shipped|arrive|delivered yet|eta|on its way|dispatched|delayed|late|parcel|package|waiting"
    ),
    Intent.TALK_TO_HUMAN: (
        "nhan vien|nguoi that|nguoi|tu van vien|quan ly|sep|chu shop|chu cua hang|nguoi phu trach|"
        "phu trach|tham quyen|trach nhiem|bo phan|cskh|admin|tra loi|rep|tra loi tu dong|tu dong|may|"
        "robot|bot|chatbot|may tra loi|truc tiep|goi lai|goi dien|goi cho em|lien he lai|khieu nai|"
        "phan anh|khong ai|ai do|co ai|human|person|someone|manager|staff|agent|operator|representative|"
        "call me|call back|real"
    ),
    Intent.RETURN_OR_EXCHANGE: (
        "doi|tra|hoan|hoan tien|tra lai|doi lai|doi size|doi mau|doi mau khac|loi|hong|hu|vo|be|nut|mop|"
        "meo|rach|thung|lung|tray|xuoc|bong|gay|dut|sut|xu long|phai mau|ra mau|loang|co lai|moc|thiu|"
        "het han|can date|gia|fake|nhai|kem chat luong|khong giong|khac|sai|nham|thieu|khong du|"
        "khong vua|chat|rong|dai qua|ngan qua|khong len|khong chay|khong sang|khong hoat dong|bao hanh|"
        "refund|return|exchange|broken|damaged|defective|wrong|missing|faulty|replacement|money back|"
        "does not fit|doesn t fit|stain|hole|scratch"
    ),
    Intent.CANCEL_ORDER: (
        "huy|huy don|huy bo|bo don|rut don|xoa don|khong mua|khong lay|khong dat|doi y|nghi lai|dat nham|"
        "bam nham|lo tay|dat trung|khong can nua|het nhu cau|khong co nhu cau|thoi|khoi gui|dung gui hang|"
        "cancel|changed my mind|by mistake|don t want|dont want|withdraw|no longer need"
    ),
    Intent.CHANGE_DELIVERY: (
        "dia chi|so nha|duong|phuong|quan|tinh|ngo|hem|toa|tang|cong ty|van phong|cho lam|nguoi nhan|"
        "nhan ho|nhan thay|so dien thoai|sdt|doi so|gio giao|ngay giao|lich giao|khung gio|buoi sang|"
        "buoi trua|buoi chieu|buoi toi|sau gio|truoc gio|ngay mai|ngay kia|cuoi tuan|tuan sau|thu 7|"
        "chu nhat|hoan giao|doi lich|doi ngay|doi gio|hen gio|bao ve|le tan|hang xom|giao toi|giao den|"
        "giao ve|giao sang|address|recipient|deliver to|instead|reschedule|evening|morning|afternoon|"
        "office|tomorrow|weekend|pick it up"
    ),
    Intent.REDELIVERY: (
        "giao lai|ship lai|gui lai|phat lai|quay lai|lan nua|lan 2|lan hai|giao hut|lo|nho|bo lo|"
        "khong nghe may|khong bat may|khong nghe|cuoc goi nho|di vang|khong co nha|khong o nha|"
        "giao khong thanh cong|giao that bai|that bai|hoan|chan hoan|bi hoan|tra ve|giay bao|buu ta|"
        "missed|again|redeliver|redelivery|failed|wasn t home|wasnt home|not home|come back|resend|"
        "returned to sender|second attempt|try again"
    ),
    Intent.PRODUCT_QUESTION: (
        "con hang|con khong|con size|con mau|het hang|co san|ve hang|hang moi|mau moi|mau nay|size|"
        "bang size|tu van size|mac size|size nao|size gi|can nang|cao|gia|gia bao nhieu|bao nhieu tien|"
        "bao nhieu|gia si|bao gia|chat lieu|vai|cotton|da that|thanh phan|xuat xu|chinh hang|auth|"
        "phi ship|ship cod|cod|thanh toan|tra gop|dat hang|dat mua|chot don|len don|order|mua|"
        "mau nao|loai nao|nen chon|phu hop|dung cho|cach dung|kich thuoc|video|anh that|"
        "in stock|available|price|how much|material|size chart|recommend|colors|restock|buy"
    ),
    Intent.SHOP_INFO: (
        "dia chi shop|shop o dau|o dau|cua hang|chi nhanh|showroom|kho hang|mo cua|dong cua|"
        "gio mo cua|gio lam viec|lam viec|nghi tet|nghi le|hotline|so hotline|so dien thoai shop|"
        "tong dai|zalo|fanpage|facebook|page|website|web|instagram|tiktok|shopee|lazada|email|"
        "chu shop la ai|cong ty|uy tin|chinh thuc|ban gi|chuyen ban|"
        "address|located|location|opening hours|open|close|branch|store|hotline|phone number|website"
    ),
    Intent.COUPON: (
        "ma giam gia|voucher|coupon|code|ma|khuyen mai|giam gia|giam|sale|freeship|mien phi ship|"
        "uu dai|chiet khau|bot|bot gia|diem|tich diem|thanh vien|vip|qua tang|mua 1 tang 1|deal|"
        "flash sale|tri an|li xi|discount|promo|deal|points|loyalty|free shipping"
    ),
    Intent.OPT_OUT: (
        "dung nhan|dung gui|ngung|dung|tat|huy dang ky|huy nhan tin|thong bao|tin nhan|quang cao|spam|"
        "lam phien|phien|khao sat|danh gia|nhac|nhac nho|danh sach|chan|lien lac|lien he|noti|"
        "stop|unsubscribe|opt out|notifications|messages|texts|spam|remove me|contact me"
    ),
    Intent.GREETING: (
        "chao|xin chao|hello|helo|hi|alo|hey|shop oi|ad oi|co ai|co do khong|cho em hoi|hoi chut|"
        "chuc|nam moi|buoi sang|buoi toi|good morning|good evening|morning|greetings|yo|howdy"
    ),
    Intent.THANKS: (
        "cam on|thanks|thank|tks|camon|hai long|ung|dep|tot|tuyet|xuat sac|uy tin|chu dao|nhiet tinh|"
        "ung ho|quay lai|gioi thieu|5 sao|yeu shop|appreciate|great|perfect|awesome|love|cheers|excellent"
    ),
    Intent.OTHER: (
        "ok|oke|uhm|vang|da|haha|hihi|test|bye|tam biet|ngu ngon|chuyen khoan|ck|hoa don|stk|"
        "so tai khoan|thoi tiet|may gio roi|ban la ai|nham|lol|okay|sure|never mind"
    ),
}
for _intent, _words in VOCABULARY.items():
    for _word in _words.split("|"):
        CUES.setdefault(_intent, {}).setdefault(_word, 1.0)

LONGEST = max(len(cue.split()) for cues in CUES.values() for cue in cues)
BY_PHRASE: dict[str, tuple[Intent, ...]] = {}
for _intent, _cues in CUES.items():
    for _cue in _cues:
        BY_PHRASE[_cue] = (*BY_PHRASE.get(_cue, ()), _intent)
