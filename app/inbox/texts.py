"""The inbox's words, Vietnamese first."""

from typing import Any

TEXTS: dict[str, dict[str, Any]] = {  # words by language; "reasons" is a nested table
    "vi": {
        "inbox": "Hộp thư", "login": "Đăng nhập", "logout": "Đăng xuất", "password": "Mật khẩu", "sound": "Âm báo",
        "search": "Tên, số điện thoại, mã đơn…", "all": "Tất cả", "needs_person": "Cần nhân viên", "mine": "Của tôi",
        "bot": "Bot đang trả lời", "human": "Nhân viên", "closed": "Đã đóng", "all_channels": "Mọi kênh", "filter": "Lọc",
        "customer": "Khách hàng", "state": "Trạng thái", "waiting": "Đã chờ", "last": "Tin gần nhất",
        "empty": "Chưa có cuộc trò chuyện nào.", "take": "Nhận xử lý", "release": "Trả lại cho bot",
        "resolve": "Đã giải quyết", "send": "Gửi", "reply_placeholder": "Trả lời khách…",
        "note_placeholder": "Ghi chú nội bộ (khách không thấy)…", "add_note": "Thêm ghi chú", "verified": "đã xác minh",
        "opt_out": "Từ chối nhận tin", "yes": "Có", "no": "Không", "used": "đã dùng",
        "bad_login": "Email hoặc mật khẩu không đúng.", "slow_down": "Có quá nhiều lần đăng nhập vào tài khoản này hoặc từ mạng của bạn. Bạn vui lòng thử lại sau {minutes} phút.",
        "taken": "Một nhân viên khác đã nhận cuộc trò chuyện này trước bạn.",
        "segments": {"new": "Khách mới", "returning": "Khách quay lại", "loyal": "Khách thân thiết"},
        "assign": "Giao cho", "canned": "Câu trả lời mẫu", "title": "Tiêu đề", "add": "Thêm", "delete": "Xóa",
        "reasons": {"requested": "khách yêu cầu", "low_score": "đánh giá thấp", "bot_could_not_help": "bot không giúp được",
                    "return_or_exchange": "đổi/trả", "cancel_order": "hủy đơn", "change_delivery": "đổi giao hàng",
                    "staff_initiated": "nhân viên chủ động"},
    },
    "en": {
        "inbox": "Inbox", "login": "Log in", "logout": "Log out", "password": "Password", "sound": "Sound",
        "search": "Name, phone, order code…", "all": "All", "needs_person": "Needs a person", "mine": "Mine",
        "bot": "Bot answering", "human": "Staff", "closed": "Closed", "all_channels": "All channels", "filter": "Filter",
        "customer": "Customer", "state": "State", "waiting": "Waiting", "last": "Last message",
        "empty": "No conversations yet.", "take": "Take over", "release": "Back to the bot", "resolve": "Resolved",
        "send": "Send", "reply_placeholder": "Reply to the customer…", "note_placeholder": "Internal note (the customer never sees it)…",
        "add_note": "Add note", "verified": "verified", "opt_out": "Opted out", "yes": "Yes", "no": "No", "used": "used",
        "bad_login": "Wrong email or password.", "slow_down": "Too many login attempts for this account or from your network. Please try again in {minutes} minutes.",
        "taken": "Another staff member took this conversation first.",
        "segments": {"new": "New customer", "returning": "Returning customer", "loyal": "Loyal customer"},
        "assign": "Assign to", "canned": "Canned replies", "title": "Title", "add": "Add", "delete": "Delete",
        "reasons": {"requested": "customer asked", "low_score": "low score", "bot_could_not_help": "bot could not help",
                    "return_or_exchange": "return/exchange", "cancel_order": "cancellation", "change_delivery": "delivery change",
                    "staff_initiated": "staff stepped in"},
    },
}
